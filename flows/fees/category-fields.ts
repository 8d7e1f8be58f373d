/** The form fields that ask a fee category and, for a wage earner, the after-tax monthly wage. */
import { UserError } from '../../server/errors';
import { CATEGORY_LABELS, FEE_CATEGORIES, isFeeCategory, needsWage } from '../../server/services/fees/categories';
import { parseYuan } from '../../server/services/fees/money';
import type { FormField } from '../engine/form';
import { textOf } from '../engine/form';
import { button } from '../engine/types';

const CAT = 'fee-cat:';

export const categoryField: FormField = {
  key: 'category',
  ask: () => ({
    text: '请选择团费类别：',
    choices: [
      FEE_CATEGORIES.slice(0, 2).map((c) => button(CATEGORY_LABELS[c], `${CAT}${c}`)),
      FEE_CATEGORIES.slice(2).map((c) => button(CATEGORY_LABELS[c], `${CAT}${c}`)),
    ],
  }),
  async take(_ctx, event) {
    const picked = event.type === 'choice' && event.value.startsWith(CAT) ? event.value.slice(CAT.length) : null;
    const typed = event.type === 'text' ? FEE_CATEGORIES.find((c) => CATEGORY_LABELS[c] === event.text.trim()) : undefined;
    const category = picked ?? typed;
    if (!isFeeCategory(category)) throw UserError.invalid('FEE_CATEGORY', '请点击按钮选择团费类别。');
    return { value: category };
  },
};

export const wageField: FormField = {
  key: 'wageFen',
  skip: (v) => !needsWage(v.category),
  ask: () => ({ text: '请输入税后月收入（元），如 4500（按工资总额中相对固定的、经常性的部分计）：' }),
  async take(_ctx, event) {
    const parsed = parseYuan(textOf(event, '税后月收入'), '税后月收入');
    if (!parsed.ok) throw UserError.invalid('FEE_WAGE', parsed.message);
    if (parsed.value <= 0) throw UserError.invalid('FEE_WAGE', '税后月收入应大于 0 元');
    return { value: String(parsed.value) };
  },
};

/** The wage of a form's answers, in fen (null: not a wage earner). */
export const wageOf = (v: Record<string, string>): number | null => (needsWage(v.category) && v.wageFen ? Number(v.wageFen) : null);
