/**
 * Import of a fee payment spreadsheet by an admin (R20): every row is read and checked with the
 * same rules as a payment recorded in chat (payment-rules.ts), and either every payment is
 * written in one transaction or none is, the file coming back with a 错误信息 column.
 */
import type { Transaction } from 'sequelize';
import { FeePayment, Person } from '../../../../models';
import { ForbiddenError } from '../../../errors';
import { recordAudit } from '../../audit/audit';
import type { ServiceDeps } from '../../deps';
import { cellText, type CellValue } from '../../membership/roster-import/file/cells';
import { failInto, resolvePayers, type Fail } from './people';
import { RosterFormatError } from '../../membership/roster-import/format-error';
import type { RosterSource } from '../../membership/roster-import/file/sheet-rows';
import { parseYuan, yuanText } from '../money';
import { chinaMonth, monthsBetween, parseMonthRange, yearOf, type Month, type MonthRange } from '../months';
import { checkPayment } from './rules';
import { buildPaymentReport, type PaymentRowError } from './report';
import { readPaymentSheet, type PaymentRow } from './sheet';
import type { FeePayers, Payer } from '../payers';
import { entryOf, type FeePayments } from './payments';
import type { FeeProfiles } from '../profiles';
import type { FeeStandards } from '../standards';
import { paidMonthsOf } from '../statement';

/** Most rows one payment sheet may hold: it is checked and written while the admin waits. */
export const MAX_FEE_IMPORT_ROWS = 2000;

export interface RowProblem {
  rowNumber: number;
  message: string;
}

/** Nothing is written unless `ok`. */
export type FeeImportOutcome =
  | { ok: true; imported: number; people: number; totalFen: number }
  | { ok: false; reason: 'rows'; rowCount: number; errorCount: number; firstErrors: RowProblem[]; report: Buffer }
  | { ok: false; reason: 'format'; message: string };

/** A row read and checked, ready to write. */
interface Ready {
  payer: Payer;
  months: MonthRange;
  amountFen: number;
  note: string | null;
}

const FIRST_ERRORS = 5;

/** Months as a spreadsheet may hold them: text, a date cell (Excel turns `2026-03` into one), a number (`202603`, `3`). */
function monthsOf(value: CellValue, year: number) {
  if (value instanceof Date) return parseMonthRange(value.toISOString().slice(0, 7), year);
  return parseMonthRange(cellText(value), year);
}

function firstProblems(errors: ReadonlyMap<number, PaymentRowError[]>): RowProblem[] {
  return [...errors.keys()]
    .sort((a, b) => a - b)
    .slice(0, FIRST_ERRORS)
    .map((rowNumber) => ({
      rowNumber,
      message: errors
        .get(rowNumber)!
        .map((e) => e.message)
        .join('；'),
    }));
}

/** Fee payment import, all or nothing. */
export class FeePaymentImport {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly payers: FeePayers,
    private readonly profiles: FeeProfiles,
    private readonly payments: FeePayments,
    private readonly standards: FeeStandards,
  ) {}

  /**
   * Checks every row (person in the admin's subtree, months, amount at least what is due, no
   * month paid twice, in the database or in the file) and writes them all in one transaction,
   * or nothing and returns the report. Throws ForbiddenError for a non-admin.
   * @example const r = await fees.imports.run(adminId, { buffer, fileName: '团费.xlsx' });
   */
  async run(actorPersonId: number, source: RosterSource): Promise<FeeImportOutcome> {
    const roots = await this.payers.roots(actorPersonId);
    if (!roots.length) throw new ForbiddenError('只有组织管理员可以导入团费记录。');
    let sheet;
    try {
      sheet = await readPaymentSheet(source, MAX_FEE_IMPORT_ROWS);
    } catch (err) {
      if (err instanceof RosterFormatError) return { ok: false, reason: 'format', message: err.message };
      throw err;
    }
    const { rows } = sheet;
    return this.deps.db.transaction(async (t) => {
      const errors = new Map<number, PaymentRowError[]>();
      const fail = failInto(errors);
      const payers = await resolvePayers(
        this.deps,
        roots.map((r) => r.path),
        rows,
        errors,
        t,
      );
      const ids = [...new Set([...payers.values()].map((p) => p.id))];
      // Locked like a payment recorded in chat: nobody records these members' months meanwhile.
      if (this.deps.db.dialect !== 'sqlite' && ids.length)
        await Person.findAll({ where: { id: ids }, attributes: ['id'], transaction: t, lock: this.deps.db.lockFor(t) });
      const now = this.deps.now();
      const thisYear = yearOf(chinaMonth(now));
      const ready = this.parseRows(rows, payers, thisYear, fail);
      const years = [...new Set([...ready.values()].map((r) => yearOf(r.months.from)))];
      const table = await this.standards.table(t);
      const timelines = await this.profiles.timelines(ids, t);
      const paid = new Map<string, Set<Month>>();
      for (const year of years) {
        for (const [personId, entries] of await this.payments.entriesOf(ids, year, t)) paid.set(`${personId}:${year}`, paidMonthsOf(entries.map(entryOf)));
      }
      for (const row of rows) {
        const r = ready.get(row.rowNumber);
        if (!r) continue;
        const key = `${r.payer.id}:${yearOf(r.months.from)}`;
        const already = paid.get(key) ?? new Set<Month>();
        const check = checkPayment(r.months, r.amountFen, {
          table,
          profiles: timelines.get(r.payer.id) ?? [],
          paid: already,
          joinedLeagueAt: r.payer.joinedLeagueAt,
          now,
        });
        if (!check.ok) {
          fail(row, check.field === 'person' ? 'name' : check.field, check.message);
          ready.delete(row.rowNumber);
          continue;
        }
        // Later rows of the same member see these months as paid.
        paid.set(key, new Set([...already, ...monthsBetween(r.months.from, r.months.to)]));
      }
      if (errors.size) {
        return {
          ok: false,
          reason: 'rows',
          rowCount: rows.length,
          errorCount: errors.size,
          firstErrors: firstProblems(errors),
          report: await buildPaymentReport(sheet, errors),
        } as const;
      }
      return this.write(actorPersonId, roots[0].id, source.fileName, [...ready.values()], t);
    });
  }

  private parseRows(rows: PaymentRow[], payers: Map<number, Payer>, year: number, fail: Fail): Map<number, Ready> {
    const ready = new Map<number, Ready>();
    for (const row of rows) {
      const months = row.cells.months === null ? { ok: false as const, message: '请填写交费月份' } : monthsOf(row.cells.months, year);
      if (!months.ok) fail(row, 'months', months.message);
      const amount =
        row.cells.amount === null ? { ok: false as const, message: '请填写金额（元）' } : parseYuan(row.cells.amount instanceof Date ? 'x' : row.cells.amount);
      if (!amount.ok) fail(row, 'amount', amount.message);
      const note = row.cells.note === null ? null : cellText(row.cells.note);
      if (note && Array.from(note).length > 200) fail(row, 'note', '备注最多 200 个字');
      const payer = payers.get(row.rowNumber);
      if (payer && months.ok && amount.ok && !(note && Array.from(note).length > 200))
        ready.set(row.rowNumber, { payer, months: months.value, amountFen: amount.value, note });
    }
    return ready;
  }

  private async write(actorPersonId: number, orgId: number, fileName: string, ready: Ready[], t: Transaction): Promise<FeeImportOutcome> {
    await FeePayment.bulkCreate(
      ready.map((r) => ({
        personId: r.payer.id,
        orgId: r.payer.branchId,
        year: yearOf(r.months.from),
        fromMonth: r.months.from,
        toMonth: r.months.to,
        amountFen: r.amountFen,
        reversesId: null,
        note: r.note,
        source: 'import' as const,
        recordedByPersonId: actorPersonId,
      })),
      { transaction: t },
    );
    const totalFen = ready.reduce((a, r) => a + r.amountFen, 0);
    const people = new Set(ready.map((r) => r.payer.id)).size;
    await recordAudit(
      {
        actorPersonId,
        orgId,
        action: 'fee.payment.import',
        targetType: 'fee_import',
        after: { fileName, payments: ready.length, people, amount: yuanText(totalFen) },
      },
      t,
    );
    return { ok: true, imported: ready.length, people, totalFen };
  }
}
