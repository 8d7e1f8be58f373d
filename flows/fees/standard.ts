import { UserError } from '../../server/errors';
import { ruleText, type FeeBand } from '../../server/services/fees/arithmetic';
import { categoryLabel, needsWage } from '../../server/services/fees/categories';
import { parseYuan } from '../../server/services/fees/money';
import { chinaMonth, parseMonthRange, yearOf } from '../../server/services/fees/months';
import { NOT_TOP_ADMIN } from '../../server/services/fees/standards';
import type { StandardRows } from '../../server/services/fees/standard-table';
import { categoryField } from './category-fields';
import { type FormField, formFlow, type FormState, type FormValues, textOf } from '../engine/form';
import type { Flow } from '../engine/types';
import { button } from '../engine/types';

const NO_CAP = 'fee-std:nocap';

/** A standard's lines: document, month, each category's rule. */
function standardLines(s: StandardRows, inForce: boolean): string[] {
  const categories = [...new Set(s.bands.map((b) => b.category))];
  return [
    `${s.name}《${s.title}》${s.article ?? ''}，${s.validFrom} 起执行${inForce ? '（现行）' : ''}：`,
    ...categories.map((c) => `  ${categoryLabel(c)}：${ruleText(s.bands.filter((b) => b.category === c))}`),
  ];
}

/** /fee_standard (团费标准): every standard, newest last; a top admin may add one. */
export const feeStandardFlow: Flow = {
  name: 'fee-standard',
  version: 1,
  commands: ['fee_standard'],
  requiresLogin: true,
  async start(ctx) {
    const { standards } = ctx.services.fees;
    const table = await standards.table();
    const month = chinaMonth(ctx.services.deps.now());
    const current = new Set(['student', 'unemployed', 'relief', 'wage'].map((c) => table.forMonth(c, month)?.standard.id));
    const lines = ['【团费标准】新标准从生效月份起执行，此前的月份仍按原标准计算。', ''];
    table.all.forEach((s, i) => lines.push(`${i + 1}. ${standardLines(s, current.has(s.id)).join('\n')}`));
    lines.push('', '团员可以自愿多交团费。');
    const top = await standards.isTopAdmin(ctx.actor.personId!);
    return { replies: [{ text: lines.join('\n'), choices: top ? [[button('➕ 新增团费标准', '/fee_standard_add')]] : undefined }] };
  },
};

function yuanField(key: string, question: string, opts: { skip?: (v: FormValues) => boolean; noCap?: boolean } = {}): FormField {
  return {
    key,
    skip: opts.skip,
    ask: () => ({ text: question, choices: opts.noCap ? [[button('不设上限', NO_CAP)]] : undefined }),
    async take(_ctx, event) {
      if (opts.noCap && event.type === 'choice' && event.value === NO_CAP) return { value: '' };
      const parsed = parseYuan(textOf(event, '金额'));
      if (!parsed.ok) throw UserError.invalid('FEE_STANDARD_AMOUNT', parsed.message);
      return { value: String(parsed.value) };
    },
  };
}

const wageOnly = (v: FormValues) => !needsWage(v.category);
const flatOnly = (v: FormValues) => needsWage(v.category);

const fields: FormField[] = [
  {
    key: 'name',
    ask: () => ({ text: '请输入标准的文号（如“中青发〔2027〕1号”）：' }),
    async take(_ctx, event) {
      return { value: textOf(event, '文号').trim().slice(0, 100) };
    },
  },
  {
    key: 'title',
    ask: () => ({ text: '请输入文件标题（如“关于调整团费交纳标准的通知”）：' }),
    async take(_ctx, event) {
      return { value: textOf(event, '标题').trim().slice(0, 200) };
    },
  },
  {
    key: 'validFrom',
    ask: (ctx) => ({ text: `请输入生效月份（如“${yearOf(chinaMonth(ctx.services.deps.now())) + 1}-01”）。从这个月起按新标准计算，此前的月份不变：` }),
    async take(ctx, event) {
      const parsed = parseMonthRange(textOf(event, '生效月份'), yearOf(chinaMonth(ctx.services.deps.now())));
      if (!parsed.ok || parsed.value.from !== parsed.value.to) throw UserError.invalid('FEE_STANDARD_FROM', '请输入一个月份，如 2027-01');
      return { value: parsed.value.from };
    },
  },
  categoryField,
  yuanField('flatFen', '请输入这一类别每月交纳的金额（元），如 0.2：', { skip: flatOnly }),
  yuanField('thresholdFen', '按比例计算的起点：税后月收入从多少元起按比例交纳（如 2000）？', { skip: wageOnly }),
  yuanField('belowFen', '低于这个起点时每月交纳多少元（如 3）？', { skip: wageOnly }),
  {
    key: 'ratePerMille',
    skip: wageOnly,
    ask: () => ({ text: '比例是千分之几（整数，如 2 表示 2‰）？' }),
    async take(_ctx, event) {
      const n = Number(textOf(event, '比例').trim().replace(/‰$/, ''));
      if (!Number.isInteger(n) || n < 1 || n > 100) throw UserError.invalid('FEE_STANDARD_RATE', '请输入 1 到 100 之间的整数，如 2');
      return { value: String(n) };
    },
  },
  yuanField('roundingFen', '按比例算出的金额去尾取整到多少元（如 1 表示取整到元）？', { skip: wageOnly }),
  yuanField('capFen', '每月最多交纳多少元（如 20）？', { skip: wageOnly, noCap: true }),
];

/** The bands a filled form describes. */
function bandsOf(v: FormValues): Array<FeeBand & { category: string }> {
  const none = { ratePerMille: null, roundingFen: null, capFen: null };
  if (!needsWage(v.category)) return [{ category: v.category, wageFromFen: 0, flatFen: Number(v.flatFen), ...none }];
  return [
    { category: v.category, wageFromFen: 0, flatFen: Number(v.belowFen), ...none },
    {
      category: v.category,
      wageFromFen: Number(v.thresholdFen),
      flatFen: null,
      ratePerMille: Number(v.ratePerMille),
      roundingFen: Number(v.roundingFen) || null,
      capFen: v.capFen ? Number(v.capFen) : null,
    },
  ];
}

/**
 * /fee_standard_add: a top admin (团中央) adds a standard for one category from a month; months
 * before it keep the standard they had. Audited.
 */
export const feeStandardAddFlow: Flow<FormState> = {
  ...formFlow({
    name: 'fee-standard-add',
    version: 1,
    commands: ['fee_standard_add'],
    intro: '新增团费标准（每次一个类别）。标准不能修改或删除：更正也是从某月起的一条新标准。',
    async begin(ctx) {
      if (!(await ctx.services.fees.standards.isTopAdmin(ctx.actor.personId!))) return { refuse: [{ text: NOT_TOP_ADMIN }] };
      return null;
    },
    fields,
    summary: (_ctx, v) =>
      [`文号：${v.name}`, `标题：${v.title}`, `生效月份：${v.validFrom}`, `${categoryLabel(v.category)}：${ruleText(bandsOf(v))}`].join('\n'),
    async submit(ctx, v) {
      const standard = await ctx.services.fees.standards.add(ctx.actor.personId!, { name: v.name, title: v.title, validFrom: v.validFrom, bands: bandsOf(v) });
      return [
        {
          text: `✅ 已新增团费标准：${standard.name}，${standard.validFrom} 起执行。此前的月份仍按原标准计算。此操作已记入操作记录。`,
          choices: [[button('查看团费标准', '/fee_standard')]],
        },
      ];
    },
  }),
  requiresLogin: true,
};
