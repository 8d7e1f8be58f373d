/**
 * The form field that finds a member by name (or ID number) within the admin's organisations
 * and those below, and the way a command's argument (`/fee_pay 12`, from a member's card)
 * picks the member before the form begins.
 */
import { UserError } from '../../server/errors';
import { quoteInput } from '../../server/lib/quote';
import type { FieldOutcome, FormField, FormValues } from '../engine/form';
import { textOf } from '../engine/form';
import { shortLabel } from '../engine/org-picker';
import type { Flow, FlowContext } from '../engine/types';
import { button, idArg } from '../engine/types';

const PICK = 'fee-person:';

/** The member: picked (`personId`) or given with the command (`_personId`, kept across 重新填写). */
export const personOf = (v: FormValues): number => Number(v.personId ?? v._personId);

export const personField: FormField = {
  key: 'personId',
  skip: (v) => !!v._personId,
  ask: () => ({ text: '请输入团员的姓名（或 18 位身份证号码），只在您管理的组织及其下级组织中查找：' }),
  async take(ctx, event): Promise<FieldOutcome> {
    const { payers } = ctx.services.fees;
    const me = ctx.actor.personId!;
    if (event.type === 'choice' && event.value.startsWith(PICK)) {
      const payer = await payers.require(me, Number(event.value.slice(PICK.length)));
      return { value: String(payer.id), note: `团员：${payer.name}（${payer.idMasked}），${payer.branchName}` };
    }
    const text = textOf(event, '姓名').trim().slice(0, 30);
    if (/\d{6}/.test(text)) await ctx.io.deleteUserMessage(); // an ID number is personal data
    const found = await payers.find(me, text);
    if (!found.length) throw UserError.notFound('FEE_NOT_FOUND', `在您管理的组织及其下级组织中没有找到“${quoteInput(text)}”。请检查姓名，或输入身份证号码。`);
    if (found.length === 1 && (found[0].name === text || /\d{17}/.test(text))) {
      return { value: String(found[0].id), note: `团员：${found[0].name}（${found[0].idMasked}），${found[0].branchName}` };
    }
    return {
      retry: {
        text: `找到 ${found.length} 人${found.length >= 8 ? '（只显示前 8 人，可输入更完整的姓名）' : ''}，请点击要办理的团员：`,
        choices: found.map((p) => [button(`${p.name} ${p.idMasked.slice(-4)} ${shortLabel(p.branchName, 12)}`, `${PICK}${p.id}`)]),
      },
    };
  },
};

/** The member id given with the command of the flow being started, by context (see withPersonArg). */
const ARGS = new WeakMap<FlowContext, number>();

/** The member given with the command, once checked to be in the admin's scope (throws otherwise). */
export async function personArg(ctx: FlowContext): Promise<FormValues> {
  const id = ARGS.get(ctx);
  if (!id) return {};
  const payer = await ctx.services.fees.payers.require(ctx.actor.personId!, id);
  return { _personId: String(payer.id) };
}

/** A form flow whose command may carry a member id (`/fee_pay 12`), read by personArg in `begin`. */
export function withPersonArg<S>(flow: Flow<S>): Flow<S> {
  return {
    ...flow,
    async start(ctx, args) {
      const scoped: FlowContext = { ...ctx };
      const id = idArg(args);
      if (id) ARGS.set(scoped, id);
      return flow.start(scoped, args);
    },
  };
}
