import { UserError } from '../../server/errors';
import { yuanText } from '../../server/services/fees/money';
import { chinaMonth, monthsBetween, parseMonthRange, rangeText, yearOf } from '../../server/services/fees/months';
import { parseYuan } from '../../server/services/fees/money';
import { checkAmount } from '../../server/services/fees/payments/rules';
import { addAuditFieldLabels } from '../audit/audit-text';
import { addAuditLabels } from '../audit/audit';
import { personArg, personField, personOf, withPersonArg } from './person-field';
import { feeButton } from './text';
import { type FormField, formFlow, type FormState, type FormValues, textOf } from '../engine/form';
import type { Flow } from '../engine/types';
import { button } from '../engine/types';

addAuditLabels({
  'fee.payment.record': '登记团费',
  'fee.payment.reverse': '冲正团费记录',
  'fee.payment.import': '导入团费记录',
  'fee.profile.set': '设置团费类别',
  'fee.profile.declare': '申报团费类别',
  'fee.profile.confirm': '确认团费类别申报',
  'fee.profile.reject': '退回团费类别申报',
  'fee.standard.add': '新增团费标准',
});
addAuditFieldLabels({
  months: '交费月份',
  amount: '金额',
  paymentId: '交费记录编号',
  note: '备注',
  feeCategory: '团费类别',
  validFrom: '起始月份',
  standardName: '标准',
  rules: '交纳办法',
  people: '人数',
  payments: '交费笔数',
});

const AMOUNT = 'fee-amt:';
const SKIP = 'fee-pay:skip';

const range = (v: FormValues) => ({ from: v.from, to: v.to });

const fields: FormField[] = [
  personField,
  {
    key: 'from',
    ask: (ctx) => ({ text: `请输入交费月份，如“2026-01至2026-06”“1-6月”或“3月”（不写年份即 ${yearOf(chinaMonth(ctx.services.deps.now()))} 年）：` }),
    async take(ctx, event, v) {
      const parsed = parseMonthRange(textOf(event, '交费月份'), yearOf(chinaMonth(ctx.services.deps.now())));
      if (!parsed.ok) throw UserError.invalid('FEE_MONTHS', parsed.message);
      const { dueFen } = await ctx.services.fees.payments.quote(ctx.actor.personId!, personOf(v), parsed.value);
      const n = monthsBetween(parsed.value.from, parsed.value.to).length;
      return {
        value: parsed.value.from,
        also: { to: parsed.value.to, dueFen: String(dueFen) },
        note: `交费月份：${rangeText(parsed.value)}（${n} 个月，应交 ${yuanText(dueFen)}）`,
      };
    },
  },
  {
    key: 'amountFen',
    ask: (_ctx, v) => ({
      text: `请输入实交金额（元）。这几个月应交 ${yuanText(Number(v.dueFen))}，可以自愿多交：`,
      choices: [[button(`按应交金额 ${yuanText(Number(v.dueFen))}`, `${AMOUNT}${v.dueFen}`)]],
    }),
    async take(_ctx, event, v) {
      const typed = event.type === 'choice' && event.value.startsWith(AMOUNT) ? event.value.slice(AMOUNT.length) : textOf(event, '金额');
      const parsed = event.type === 'choice' ? { ok: true as const, value: Number(typed) } : parseYuan(typed);
      if (!parsed.ok || !Number.isSafeInteger(parsed.value)) throw UserError.invalid('FEE_AMOUNT', parsed.ok ? '金额不对' : parsed.message);
      const check = checkAmount(parsed.value, Number(v.dueFen), monthsBetween(v.from, v.to).length);
      if (!check.ok) throw UserError.invalid('FEE_AMOUNT', check.message);
      return { value: String(parsed.value) };
    },
  },
  {
    key: 'note',
    ask: () => ({ text: '需要备注吗（如“现金，收据号 0012”）？没有请点“跳过”：', choices: [[button('跳过', SKIP)]] }),
    async take(_ctx, event) {
      if (event.type === 'choice' && event.value === SKIP) return { value: '' };
      const note = textOf(event, '备注').trim();
      if (Array.from(note).length > 200) throw UserError.invalid('FEE_NOTE', '备注最多 200 个字。');
      return { value: note };
    },
  },
];

/**
 * /fee_pay (登记团费, R20): an admin records one payment of a member of its subtree: the member
 * found by name, the months (read back with what they are due), the amount (at least that;
 * 自愿多交 welcome), a note. `/fee_pay <id>` starts with the member picked (from their card).
 */
export const feePayFlow: Flow<FormState> = withPersonArg({
  ...formFlow({
    name: 'fee-pay',
    version: 1,
    commands: ['fee_pay'],
    intro: '登记团费：每次登记一名团员一段月份（同一年内）的交费。',
    async begin(ctx) {
      if (!(await ctx.services.admins.isAdmin(ctx.actor.personId!))) return { refuse: [{ text: '只有组织管理员可以登记团费。查看自己的团费请发送 /fee。' }] };
      return { values: await personArg(ctx) };
    },
    fields,
    async summary(ctx, v) {
      const payer = await ctx.services.fees.payers.require(ctx.actor.personId!, personOf(v));
      const extra = Number(v.amountFen) - Number(v.dueFen);
      return [
        `团员：${payer.name}（${payer.idMasked}）`,
        `所在团支部：${payer.branchName}`,
        `交费月份：${rangeText(range(v))}`,
        `实交金额：${yuanText(Number(v.amountFen))}（应交 ${yuanText(Number(v.dueFen))}${extra > 0 ? `，自愿多交 ${yuanText(extra)}` : ''}）`,
        `备注：${v.note || '（无）'}`,
        '登记后不能修改或删除；如有错误，可在该团员的团费记录中冲正。',
      ].join('\n');
    },
    async submit(ctx, v) {
      const { payment, payer } = await ctx.services.fees.payments.record(ctx.actor.personId!, {
        personId: personOf(v),
        months: range(v),
        amountFen: Number(v.amountFen),
        note: v.note,
      });
      return [
        {
          text: `✅ 已登记（第 ${payment.id} 号）：${payer.name} ${rangeText(range(v))} ${yuanText(payment.amountFen)}。此操作已记入操作记录。`,
          choices: [[feeButton('查看该团员团费', 'p', payer.id), button('继续登记', '/fee_pay')]],
        },
      ];
    },
  }),
  requiresLogin: true,
});
