/**
 * A member's fees for one year, as of a month (pure): what each month from the start is due,
 * which months are paid, and what is owed. Counting starts at the latest of January of that
 * year, the month the member joined the league and the month they were recorded here: no debt
 * from before the system knew them. It runs through the month of `asOf` (this month is due).
 */
import type { Month } from './months';
import { chinaMonth, monthsBetween, yearOf } from './months';
import { profileAt, type ProfileEntry } from './profile-timeline';
import type { AppliedStandard, StandardInfo, StandardTable } from './standard-table';
import { monthlyDueFen } from './arithmetic';

/** What the counting needs to know of a member. */
export interface MemberFacts {
  joinedLeagueAt: string | null;
  /** When the member's record was created here. */
  recordedAt: Date;
}

/** A payment or reversal as stored. */
export interface PaymentEntry {
  id: number;
  fromMonth: Month;
  toMonth: Month;
  amountFen: number;
  reversesId: number | null;
}

/** One month counted. */
export interface MonthLine {
  month: Month;
  /** Null: not known (no category set, or no wage for a wage earner). */
  dueFen: number | null;
  standard: StandardInfo | null;
  category: string | null;
  paid: boolean;
}

export interface YearStatement {
  year: number;
  asOfMonth: Month;
  /** First month counted; null when none of the year is due yet. */
  startMonth: Month | null;
  months: MonthLine[];
  /** Sum of what the counted months are due; null when any is unknown. */
  dueFen: number | null;
  /** Money received for months of the year (reversals net out). */
  paidFen: number;
  /** Months of the year paid (later months paid ahead too). */
  paidMonths: Month[];
  owedMonths: Month[];
  /** Null when some owed month's amount is unknown. */
  owedFen: number | null;
  /** This month's setting, standard and amount. */
  current: { profile: ProfileEntry | null; applied: AppliedStandard | null; dueFen: number | null };
}

/** The first month counted in `year`. */
export function startMonthOf(facts: MemberFacts, year: number): Month {
  const candidates = [`${year}-01`, chinaMonth(facts.recordedAt)];
  if (facts.joinedLeagueAt && /^\d{4}-\d{2}/.test(facts.joinedLeagueAt)) candidates.push(facts.joinedLeagueAt.slice(0, 7));
  return candidates.sort().at(-1)!;
}

/** Payments still standing: neither a reversal nor reversed. */
export function standing(entries: readonly PaymentEntry[]): PaymentEntry[] {
  const reversed = new Set(entries.filter((e) => e.reversesId !== null).map((e) => e.reversesId));
  return entries.filter((e) => e.reversesId === null && !reversed.has(e.id));
}

/** Months covered by standing payments. */
export function paidMonthsOf(entries: readonly PaymentEntry[]): Set<Month> {
  return new Set(standing(entries).flatMap((e) => monthsBetween(e.fromMonth, e.toMonth)));
}

/** The amount due in one month for a member's settings; null when unknown. */
export function dueIn(
  table: StandardTable,
  profiles: readonly ProfileEntry[],
  month: Month,
): { dueFen: number | null; applied: AppliedStandard | null; profile: ProfileEntry | null } {
  const profile = profileAt(profiles, month);
  const applied = profile ? table.forMonth(profile.category, month) : null;
  return { profile, applied, dueFen: applied && profile ? monthlyDueFen(applied.bands, profile.wageFen) : null };
}

const sum = (values: Array<number | null>): number | null => values.reduce<number | null>((a, v) => (a === null || v === null ? null : a + v), 0);

/**
 * The member's statement for the year of `asOf`, entries being the year's payments.
 * @example yearStatement(facts, profiles, table, entries, new Date()).owedFen
 */
export function yearStatement(
  facts: MemberFacts,
  profiles: readonly ProfileEntry[],
  table: StandardTable,
  entries: readonly PaymentEntry[],
  asOf: Date,
): YearStatement {
  const asOfMonth = chinaMonth(asOf);
  const year = yearOf(asOfMonth);
  const start = startMonthOf(facts, year);
  const counted = start <= asOfMonth ? monthsBetween(start, asOfMonth) : [];
  const paid = paidMonthsOf(entries.filter((e) => yearOf(e.fromMonth) === year));
  const months: MonthLine[] = counted.map((month) => {
    const { dueFen, applied, profile } = dueIn(table, profiles, month);
    return { month, dueFen, standard: applied?.standard ?? null, category: profile?.category ?? null, paid: paid.has(month) };
  });
  const owed = months.filter((m) => !m.paid);
  return {
    year,
    asOfMonth,
    startMonth: counted.length ? start : null,
    months,
    dueFen: sum(months.map((m) => m.dueFen)),
    paidFen: entries.filter((e) => yearOf(e.fromMonth) === year).reduce((a, e) => a + e.amountFen, 0),
    paidMonths: [...paid].sort(),
    owedMonths: owed.map((m) => m.month),
    owedFen: sum(owed.map((m) => m.dueFen)),
    current: dueIn(table, profiles, asOfMonth),
  };
}
