/**
 * Months as the fee rules count them: `YYYY-MM` text, an integer index for arithmetic, Beijing
 * time for "this month", and the ways admins write a run of months (`2026-01至2026-06`, `1-6月`).
 */
import type { Parsed } from '../../lib/parsed';
import { halfWidth } from './money';

/** `YYYY-MM`. */
export type Month = string;

/** Months since year 0: consecutive months differ by one. */
export const monthIndex = (m: Month): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
export const monthOf = (index: number): Month => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
export const yearOf = (m: Month): number => Number(m.slice(0, 4));
export const monthNumber = (m: Month): number => Number(m.slice(5, 7));

/** The month a moment falls in, in Beijing (UTC+8). */
export function chinaMonth(at: Date): Month {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthOf(i));
  return out;
}

export const isMonth = (text: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(text);

/** A run of months within one year. */
export interface MonthRange {
  from: Month;
  to: Month;
}

const FORMAT_HINT = '请写成“2026-01至2026-06”“1-6月”或“2026-03”这样的月份';

/** Text with 年/月 and the usual separators reduced to `2026-1~2026-6`, `1~6`, `2026-3`. */
function normalise(raw: string): string {
  return halfWidth(raw)
    .replace(/\s+/g, '')
    .replace(/(\d{4})年/g, '$1-')
    .replace(/(\d{4})[./](\d{1,2})/g, '$1-$2')
    .replace(/月份?/g, '')
    .replace(/份/g, '')
    .replace(/(至|到|~|—|–|－|―|~)+/g, '~')
    .replace(/-$/, '');
}

const pad = (y: number, m: number): Month => `${y}-${String(m).padStart(2, '0')}`;

/**
 * A run of months as typed; a month without a year is of `year` (this year, read back before
 * anything is saved). Both ends in one year: a run across New Year is two entries.
 * @example parseMonthRange('1-6月', 2026) // { ok: true, value: { from: '2026-01', to: '2026-06' } }
 */
export function parseMonthRange(raw: string, year: number): Parsed<MonthRange> {
  const s = normalise(raw);
  let y1 = year;
  let m1: number;
  let y2: number;
  let m2: number;
  let r: RegExpExecArray | null;
  if ((r = /^(\d{4})?-?全年$/.exec(s))) [y1, m1, y2, m2] = [r[1] ? Number(r[1]) : year, 1, r[1] ? Number(r[1]) : year, 12];
  else if ((r = /^(\d{4})-(\d{1,2})$/.exec(s)) || (r = /^(\d{4})(\d{2})$/.exec(s))) [y1, m1, y2, m2] = [Number(r[1]), Number(r[2]), Number(r[1]), Number(r[2])];
  else if ((r = /^(\d{4})-(\d{1,2})[~-](\d{4})-(\d{1,2})$/.exec(s))) [y1, m1, y2, m2] = [Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4])];
  else if ((r = /^(\d{4})-(\d{1,2})[~-](\d{1,2})$/.exec(s))) [y1, m1, y2, m2] = [Number(r[1]), Number(r[2]), Number(r[1]), Number(r[3])];
  else if ((r = /^(\d{1,2})[~-](\d{1,2})$/.exec(s))) [m1, y2, m2] = [Number(r[1]), year, Number(r[2])];
  else if ((r = /^(\d{1,2})$/.exec(s))) [m1, y2, m2] = [Number(r[1]), year, Number(r[1])];
  else return { ok: false, message: FORMAT_HINT };
  if (m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12) return { ok: false, message: `月份应在 1 到 12 之间；${FORMAT_HINT}` };
  if (y1 < 2000 || y2 < 2000) return { ok: false, message: `年份不对；${FORMAT_HINT}` };
  if (y1 !== y2) return { ok: false, message: '交费月份须在同一年内；跨年交纳请按年度分成两笔登记（如 2025-11至2025-12 和 2026-01至2026-02）' };
  if (m2 < m1) return { ok: false, message: '结束月份早于开始月份，请检查' };
  return { ok: true, value: { from: pad(y1, m1), to: pad(y2, m2) } };
}

/** `2026年3月`, `2026年1-6月`. */
export function rangeText(r: MonthRange): string {
  const y = yearOf(r.from);
  return r.from === r.to ? `${y}年${monthNumber(r.from)}月` : `${y}年${monthNumber(r.from)}-${monthNumber(r.to)}月`;
}

/** Months as runs: `1-6月、9月` within one year, each run with its year when they span several. */
export function monthsText(months: Month[]): string {
  if (!months.length) return '无';
  const sorted = [...new Set(months)].sort();
  const runs: MonthRange[] = [];
  for (const m of sorted) {
    const last = runs.at(-1);
    if (last && monthIndex(m) === monthIndex(last.to) + 1 && yearOf(m) === yearOf(last.from)) last.to = m;
    else runs.push({ from: m, to: m });
  }
  const oneYear = runs.every((r) => yearOf(r.from) === yearOf(runs[0].from));
  const text = (r: MonthRange) => (oneYear ? (r.from === r.to ? `${monthNumber(r.from)}月` : `${monthNumber(r.from)}-${monthNumber(r.to)}月`) : rangeText(r));
  return (oneYear ? `${yearOf(runs[0].from)}年` : '') + runs.map(text).join('、');
}
