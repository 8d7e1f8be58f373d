import type { Organisation } from '../../../models';
import type { Month } from './months';
import type { Payer } from './payers';
import type { YearStatement } from './statement';

// The shapes of the fee reports, apart from the service: the spreadsheet renders them and the
// service imports the spreadsheet, so they cannot live in the service's file.

/** Sums over a group of members for the year so far. */
export interface FeeTotals {
  members: number;
  /** Due from each member's start through this month, of members whose category is set. */
  dueFen: number;
  paidFen: number;
  owedFen: number;
  /** Members owing at least one month. */
  owing: number;
  /** Members whose amount is unknown (no category set): not in the sums. */
  uncategorised: number;
}

/** An organisation's fees for the year: its totals and those of each organisation directly below. */
export interface FeeSummary {
  org: Organisation;
  year: number;
  asOfMonth: Month;
  totals: FeeTotals;
  children: Array<{ org: Organisation; totals: FeeTotals }>;
  /** Members of the organisation itself (a branch's own). */
  direct: FeeTotals | null;
  /** Members' declarations of category waiting for an admin. */
  pending: number;
}

/** A member and their statement. */
export interface MemberFees {
  payer: Payer;
  statement: YearStatement;
}
