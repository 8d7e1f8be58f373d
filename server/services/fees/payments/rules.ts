/**
 * Whether one payment may be recorded (pure), the same rules for chat and spreadsheet: months
 * of one year not already paid and not before the member joined, and at least what those
 * months are due (more is welcome: 自愿多交).
 */
import { MAX_AMOUNT_FEN, yuanText } from '../money';
import { chinaMonth, monthIndex, monthsBetween, monthsText, type Month, type MonthRange } from '../months';
import type { ProfileEntry } from '../profile-timeline';
import { dueIn } from '../statement';
import type { StandardTable } from '../standard-table';

/** Which input a problem is about (the spreadsheet marks that cell). */
export type PaymentField = 'person' | 'months' | 'amount';

export type PaymentCheck = { ok: true; dueFen: number } | { ok: false; field: PaymentField; message: string };

/** How far ahead months may be paid: to the end of next year. */
const latestYear = (now: Date) => Number(chinaMonth(now).slice(0, 4)) + 1;

export interface PaymentFacts {
  table: StandardTable;
  profiles: readonly ProfileEntry[];
  /** Months already paid (standing payments, and earlier rows of the same file). */
  paid: ReadonlySet<Month>;
  joinedLeagueAt: string | null;
  now: Date;
}

/** The months' part: one year, not before joining, none paid already, every amount known. Gives what they are due. */
export function checkMonths(range: MonthRange, facts: PaymentFacts): PaymentCheck {
  const months = monthsBetween(range.from, range.to);
  if (Number(range.to.slice(0, 4)) > latestYear(facts.now)) return { ok: false, field: 'months', message: `最多只能预交到 ${latestYear(facts.now)} 年底` };
  const joined = facts.joinedLeagueAt?.slice(0, 7);
  const early = joined ? months.filter((m) => m < joined) : [];
  if (early.length) return { ok: false, field: 'months', message: `${monthsText(early)}该团员尚未入团（入团时间 ${facts.joinedLeagueAt}），无需交纳` };
  const already = months.filter((m) => facts.paid.has(m));
  if (already.length) return { ok: false, field: 'months', message: `${monthsText(already)}已交过团费；如原记录有误，请先冲正原记录` };
  const dues = months.map((m) => dueIn(facts.table, facts.profiles, m).dueFen);
  if (dues.some((d) => d === null)) return { ok: false, field: 'person', message: '该团员尚未设置团费类别（或未填写税后月收入），请先发送 /fee_set 设置' };
  return { ok: true, dueFen: (dues as number[]).reduce((a, d) => a + d, 0) };
}

/** The amount's part: more than nothing, not absurd, at least what is due. */
export function checkAmount(amountFen: number, dueFen: number, months: number): PaymentCheck {
  if (amountFen <= 0) return { ok: false, field: 'amount', message: '金额应大于 0' };
  if (amountFen > MAX_AMOUNT_FEN) return { ok: false, field: 'amount', message: `金额超过 ${yuanText(MAX_AMOUNT_FEN)}，请核对` };
  if (amountFen < dueFen) return { ok: false, field: 'amount', message: `金额少于应交的 ${yuanText(dueFen)}（${months} 个月）；可以自愿多交，但不能少交` };
  return { ok: true, dueFen };
}

export function checkPayment(range: MonthRange, amountFen: number, facts: PaymentFacts): PaymentCheck {
  const months = checkMonths(range, facts);
  return months.ok ? checkAmount(amountFen, months.dueFen, monthCount(range)) : months;
}

/** Months of a range, counted. */
export const monthCount = (r: MonthRange): number => monthIndex(r.to) - monthIndex(r.from) + 1;
