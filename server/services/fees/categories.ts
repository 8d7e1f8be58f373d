/** Member fee categories (团费类别) of the standard in force (R20); a standard's bands name them. */
export const FEE_CATEGORIES = ['student', 'unemployed', 'relief', 'wage'] as const;
export type FeeCategory = (typeof FEE_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<FeeCategory, string> = {
  student: '学生',
  unemployed: '下岗失业',
  relief: '享受低保或救济',
  wage: '有工资收入',
};

export const isFeeCategory = (v: unknown): v is FeeCategory => typeof v === 'string' && (FEE_CATEGORIES as readonly string[]).includes(v);

/** The category's label; an unknown code (a later standard's) reads as itself. */
export const categoryLabel = (c: string): string => (isFeeCategory(c) ? CATEGORY_LABELS[c] : c);

/** The one category whose amount depends on the wage. */
export const needsWage = (c: string): boolean => c === 'wage';
