import type { FeeCategory } from '../../server/services/fees/categories';
import { profileText } from '../../server/services/fees/profiles';
import { categoryField, wageField, wageOf } from './category-fields';
import { formFlow, type FormState } from '../engine/form';
import type { Flow } from '../engine/types';

/** /fee_declare: a member declares their fee category (and wage); an admin of the branch confirms it. */
export const feeDeclareFlow: Flow<FormState> = {
  ...formFlow({
    name: 'fee-declare',
    version: 1,
    commands: ['fee_declare'],
    intro: '申报团费类别：学生、下岗失业、享受低保或救济的团员每月交纳 0.2 元；有工资收入的团员按税后月收入交纳。申报后由团支部管理员确认。',
    async begin(ctx) {
      const own = await ctx.services.fees.own(ctx.actor.personId!);
      if (!own.ok) return { refuse: [{ text: '您的团籍不在任何团支部（或尚未入团），无需申报团费类别。' }] };
      return null;
    },
    fields: [categoryField, wageField],
    summary: (_ctx, v) => `团费类别：${profileText({ category: v.category, wageFen: wageOf(v) })}`,
    async submit(ctx, v) {
      const row = await ctx.services.fees.profiles.declare(ctx.actor.personId!, { category: v.category as FeeCategory, wageFen: wageOf(v) });
      return [{ text: `✅ 已提交申报：${profileText(row)}。团支部管理员确认后即按此计算团费，届时会通知您。` }];
    },
  }),
  requiresLogin: true,
};
