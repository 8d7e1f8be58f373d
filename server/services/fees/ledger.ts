import type { Transaction } from 'sequelize';
import { chinaMonth, yearOf } from './months';
import type { Payer } from './payers';
import { entryOf, type FeePayments } from './payments/payments';
import type { FeeProfiles } from './profiles';
import type { FeeStandards } from './standards';
import type { StandardTable } from './standard-table';
import { yearStatement, type YearStatement } from './statement';

/** Statements of many members at once: a few queries for the lot, then the pure counting. */
export class FeeLedger {
  constructor(
    readonly profiles: FeeProfiles,
    readonly payments: FeePayments,
    readonly standards: FeeStandards,
  ) {}

  /** Each payer's statement for the year of `asOf`. */
  async statements(payers: Payer[], asOf: Date, opts: { table?: StandardTable; t?: Transaction } = {}): Promise<Map<number, YearStatement>> {
    const ids = payers.map((p) => p.id);
    const year = yearOf(chinaMonth(asOf));
    // One after another: queries of one transaction share its connection.
    const table = opts.table ?? (await this.standards.table(opts.t));
    const timelines = await this.profiles.timelines(ids, opts.t);
    const entries = await this.payments.entriesOf(ids, year, opts.t);
    const out = new Map<number, YearStatement>();
    for (const p of payers) {
      out.set(p.id, yearStatement(p, timelines.get(p.id) ?? [], table, (entries.get(p.id) ?? []).map(entryOf), asOf));
    }
    return out;
  }
}
