/**
 * Why a member's monthly fee is what it is, in the words both /fee in chat (flows/fees/text.ts)
 * and the web app's fee page (GET /api/me/fees) show: one text, so the two never differ.
 */
import { ruleText } from '../services/fees/arithmetic';
import { categoryLabel } from '../services/fees/categories';
import type { AppliedStandard, StandardInfo } from '../services/fees/standard-table';

/** A standard as cited: `中青发〔2016〕13号《…》第五条（2016-01 起执行）`. */
export const standardCitation = (s: StandardInfo): string => `${s.name}《${s.title}》${s.article ?? ''}（${s.validFrom} 起执行）`;

/** The rule a member's category follows under a standard: `学生每月 0.2 元`. */
export const categoryRuleText = (category: string, applied: AppliedStandard): string => `${categoryLabel(category)}${ruleText(applied.bands)}`;
