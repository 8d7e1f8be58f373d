import type { FeeCategory } from '../../server/services/fees/categories';
import { yuanText } from '../../server/services/fees/money';
import { chinaMonth } from '../../server/services/fees/months';
import { profileText } from '../../server/services/fees/profiles';
import { categoryField, wageField, wageOf } from './category-fields';
import { personArg, personField, personOf, withPersonArg } from './person-field';
import { feeButton } from './text';
import { formFlow, type FormState } from '../engine/form';
import type { Flow } from '../engine/types';

/**
 * /fee_set (设置团费类别): an admin of the member's branch or above sets the member's fee
 * category and, for a wage earner, the after-tax monthly wage, from this month on (the first
 * setting also covers the months before it). `/fee_set <id>` starts with the member picked.
 */
export const feeSetFlow: Flow<FormState> = withPersonArg({
  ...formFlow({
    name: 'fee-set',
    version: 1,
    commands: ['fee_set'],
    intro: '设置团员的团费类别：学生、下岗失业、享受低保或救济的团员每月 0.2 元；有工资收入的按税后月收入分档。',
    async begin(ctx) {
      if (!(await ctx.services.admins.isAdmin(ctx.actor.personId!)))
        return { refuse: [{ text: '只有组织管理员可以设置团员的团费类别。申报自己的类别请发送 /fee_declare。' }] };
      return { values: await personArg(ctx) };
    },
    fields: [personField, categoryField, wageField],
    async summary(ctx, v) {
      const payer = await ctx.services.fees.payers.require(ctx.actor.personId!, personOf(v));
      const table = await ctx.services.fees.standards.table();
      const month = chinaMonth(ctx.services.deps.now());
      const due = table.dueFen(v.category, wageOf(v), month);
      return [
        `团员：${payer.name}（${payer.idMasked}），${payer.branchName}`,
        `团费类别：${profileText({ category: v.category, wageFen: wageOf(v) })}`,
        `起始月份：${month}（此前未交的月份仍按原类别计算；首次设置时也适用于此前的月份）`,
        `按现行标准每月应交：${due === null ? '未知' : yuanText(due)}`,
      ].join('\n');
    },
    async submit(ctx, v) {
      const row = await ctx.services.fees.profiles.set(ctx.actor.personId!, personOf(v), { category: v.category as FeeCategory, wageFen: wageOf(v) });
      return [
        {
          text: `✅ 已设置团费类别：${profileText(row)}（${row.validFrom} 起）。此操作已记入操作记录。`,
          choices: [[feeButton('查看该团员团费', 'p', row.personId)]],
        },
      ];
    },
  }),
  requiresLogin: true,
});
