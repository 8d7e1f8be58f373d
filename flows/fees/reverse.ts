import { yuanText } from '../../server/services/fees/money';
import { rangeText } from '../../server/services/fees/months';
import { entryLine, feeButton } from './text';
import type { Flow } from '../engine/types';
import { button, idArg } from '../engine/types';

/** The entry to reverse, and the reason once given. */
interface State {
  paymentId: number;
  reason: string | null;
}

const CONFIRM = 'fee-rev:yes';

/**
 * /fee_reverse <id> (冲正): a payment recorded wrongly is never edited or deleted; it is
 * reversed by an entry of the negative amount that names it and why, audited. Then the right
 * payment can be recorded again.
 */
export const feeReverseFlow: Flow<State> = {
  name: 'fee-reverse',
  version: 1,
  commands: ['fee_reverse'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const id = idArg(args);
    if (!id) return { replies: [{ text: '请在 /fees 中打开团员的团费记录，再点要冲正的那一条。' }] };
    const { payment, payer } = await ctx.services.fees.payments.requireEntry(ctx.actor.personId!, id);
    const text = [
      `冲正这条交费记录：\n${payer.name}（${payer.idMasked}）\n${entryLine(payment, false)}`,
      '',
      '冲正会记一笔相同月份、金额为负数的记录，原记录保留。请输入冲正原因（如“金额录错”“重复登记”），或发送 /cancel 取消：',
    ].join('\n');
    return { replies: [{ text }], next: { paymentId: payment.id, reason: null } };
  },
  async step(ctx, state, event) {
    if (state.reason && event.type === 'choice' && event.value === CONFIRM) {
      const { reversal, original, payer } = await ctx.services.fees.payments.reverse(ctx.actor.personId!, state.paymentId, state.reason);
      return {
        replies: [
          {
            text: `✅ 已冲正第 ${original.id} 号（冲正记录第 ${reversal.id} 号：${rangeText({ from: reversal.fromMonth, to: reversal.toMonth })} ${yuanText(reversal.amountFen)}）。这几个月恢复为未交，可重新登记正确的交费。此操作已记入操作记录。`,
            choices: [[feeButton('查看该团员团费', 'p', payer.id), button('重新登记', `/fee_pay ${payer.id}`)]],
          },
        ],
      };
    }
    if (event.type !== 'text' || !event.text.trim()) return { replies: [{ text: '请输入冲正原因，或发送 /cancel 取消。' }], next: state };
    const reason = event.text.trim().slice(0, 100);
    return {
      replies: [{ text: `冲正原因：${reason}\n确认冲正第 ${state.paymentId} 号记录吗？`, choices: [[button('确认冲正', CONFIRM), button('取消', '/cancel')]] }],
      next: { ...state, reason },
    };
  },
};
