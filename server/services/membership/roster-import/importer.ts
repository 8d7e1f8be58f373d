/**
 * Import of a member spreadsheet by an organisation admin (R7 组织管理员添加, R11, R4, R3): every
 * row is read and checked once, and either everyone is written in one transaction or nothing
 * is, and the file comes back with an error column. Chat, HTTP and any other way in call this.
 */
import type { Transaction } from 'sequelize';
import { BULK_WRITE_DEADLINE_MS } from '../../../../models';
import type { Services } from '../..';
import { buildErrorReport } from './error-report';
import { registeredRows, ALREADY_REGISTERED_MESSAGE } from './rows/duplicates';
import { RosterFormatError, type RosterSource } from './file/reader';
import { estimateDataRows } from './row-estimate';
import { loadImportScope } from './scope';
import { todayInChina } from './rows/dates';
import { RosterCheck } from './file/validate-file';
import type { RowError } from './rows/validate-row';
import { PreparedRoster, writeRoster, type WriteSummary } from './write';
import type { ZipLimits } from './file/zip-guard';

/** Most data rows one file may hold. */
export const MAX_IMPORT_ROWS = 100_000;
/** Largest file accepted, checked before downloading. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** Where an import stands, for a progress message: rows read and checked, then the one write. */
export type ImportProgress = { phase: 'reading'; done: number; total?: number } | { phase: 'saving'; done: number };

/** What {@link importRoster} needs. */
export interface ImportRosterInput {
  actorPersonId: number;
  /** Import into this organisation's subtree only (the actor must administer it or an ancestor); default: all the actor administers. */
  rootOrgId?: number;
  source: RosterSource;
  onProgress?: (p: ImportProgress) => void | Promise<void>;
  /** Runs in the transaction that writes a clean file, after the rows (a job records its end with them). */
  onCommit?: (t: Transaction, summary: WriteSummary) => Promise<void>;
  maxRows?: number;
  zipLimits?: Partial<ZipLimits>;
  /** Stops the import between batches of rows (its reason thrown, nothing written): a background job asked to stop. */
  signal?: AbortSignal;
}

/** One row's problems, as text for a chat message. */
export interface RowProblem {
  rowNumber: number;
  message: string;
}

/**
 * Outcome of an import. Nothing is written unless `ok`. `rows`: some rows are wrong, `report`
 * is the file with a 错误信息 column. `already-imported`: every row's ID number already has an
 * account (the same file sent again), which is said plainly instead of a report of N identical
 * row errors. `format`: the file as a whole cannot be read.
 */
export type ImportOutcome =
  | ({ ok: true } & WriteSummary)
  | { ok: false; reason: 'rows'; rowCount: number; errorCount: number; firstErrors: RowProblem[]; report: Buffer }
  | { ok: false; reason: 'already-imported'; rowCount: number; message: string }
  | { ok: false; reason: 'format'; message: string };

/** The summary for a file whose people are all registered already. */
export const alreadyImportedMessage = (n: number): string =>
  `这份名单中的 ${n} 人都已有账号（此前可能已经导入过），无需重复导入，本次没有写入任何数据。他们可直接用 /login 登录（初始密码为身份证号码后 8 位）。`;

/** The unique index refused a row that no check can name afterwards (should not happen; said plainly if it does). */
const CONFLICT_MESSAGE = '导入未完成：写入时发现身份证号码冲突（可能有人刚刚通过其他方式注册），没有写入任何数据。请重新发送此文件，系统会标出已注册的行。';

const FIRST_ERRORS = 5;

function firstProblems(errors: ReadonlyMap<number, readonly RowError[]>): RowProblem[] {
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

function addError(errors: Map<number, RowError[]>, rowNumber: number, error: RowError): void {
  const list = errors.get(rowNumber);
  if (list) list.push(error);
  else errors.set(rowNumber, [error]);
}

/** The outcome for a file with row errors (R4 duplicates against the database included). */
async function rowErrors(source: RosterSource, check: RosterCheck, opts: { zipLimits?: Partial<ZipLimits> }): Promise<ImportOutcome> {
  const { errors } = check;
  if (errors.size === check.rowCount && [...errors.values()].every((l) => l.length === 1 && l[0].message === ALREADY_REGISTERED_MESSAGE)) {
    return { ok: false, reason: 'already-imported', rowCount: check.rowCount, message: alreadyImportedMessage(check.rowCount) };
  }
  const report = await buildErrorReport(source, errors, check.headerMap, { zipLimits: opts.zipLimits });
  return { ok: false, reason: 'rows', rowCount: check.rowCount, errorCount: errors.size, firstErrors: firstProblems(errors), report };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string } | null;
  return !!e && (e.name === 'SequelizeUniqueConstraintError' || e.code === '23505' || (e.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? '')));
}

/** Rows per batch: one INSERT each (17 columns: within SQLite's 32766 parameters). */
const BATCH = 1000;

/**
 * Imports a member spreadsheet for `actorPersonId`, who may only import into branches of the
 * organisations they administer. All or nothing: every row is read, checked and sealed first,
 * holding no lock; then, if the whole file is clean, everyone is written in one short
 * transaction (about a second for 100,000 rows on SQLite, where it is the only time other
 * writers wait). The first wrong row stops the preparing; the rest of the file is then only
 * checked, for the report. Throws ForbiddenError for a non-admin; returns every other refusal
 * as an outcome with a Chinese message.
 * @example const r = await importRoster(services, { actorPersonId, source: { buffer, fileName } });
 */
export async function importRoster(services: Pick<Services, 'deps' | 'admins'>, input: ImportRosterInput): Promise<ImportOutcome> {
  const { deps } = services;
  const scope = await loadImportScope(services.admins, input.actorPersonId, input.rootOrgId);
  const maxRows = input.maxRows ?? MAX_IMPORT_ROWS;
  let total: number | undefined;
  const meta = { actorPersonId: input.actorPersonId, orgId: scope.roots[0].id, fileName: input.source.fileName };
  let check: RosterCheck | undefined;
  let prepared: PreparedRoster | undefined = new PreparedRoster(deps);
  try {
    check = await RosterCheck.open(input.source, scope, {
      maxRows,
      today: todayInChina(deps.now()),
      zipLimits: input.zipLimits,
      onRows: async (done) => {
        input.signal?.throwIfAborted();
        // The zip guard has passed by the first call: the file may be looked into.
        if (total === undefined) total = (await estimateDataRows(input.source)) ?? 0;
        const shown = total > 0 && total <= maxRows && done <= total ? total : undefined;
        await input.onProgress?.({ phase: 'reading', done, total: shown });
      },
    });
    for (let batch = await check.nextBatch(BATCH); batch.length > 0; batch = await check.nextBatch(BATCH)) {
      input.signal?.throwIfAborted();
      prepared.add(batch);
    }
    input.signal?.throwIfAborted();
    if (!check.clean) {
      prepared = undefined; // nothing will be written: let it go before the rest is read
      await check.drain();
    }
  } catch (err) {
    await check?.close().catch(() => undefined);
    if (err instanceof RosterFormatError) return { ok: false, reason: 'format', message: err.message };
    throw err;
  }
  if (prepared) {
    const ready = prepared;
    await input.onProgress?.({ phase: 'saving', done: check.rowCount });
    input.signal?.throwIfAborted();
    try {
      const summary = await deps.db.transaction(
        async (t) => {
          const written = await writeRoster(deps, t, ready, meta);
          await input.onCommit?.(t, written);
          return written;
        },
        undefined,
        { deadlineMs: BULK_WRITE_DEADLINE_MS },
      );
      return { ok: true, ...summary };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Someone registered one of these ID numbers meanwhile: found and named below (R4).
    }
  }
  for (const row of await registeredRows(deps.db, deps.vault, check.seenIds)) {
    addError(check.errors, row, { column: 'idNumber', message: ALREADY_REGISTERED_MESSAGE });
  }
  if (check.errors.size === 0) return { ok: false, reason: 'format', message: CONFLICT_MESSAGE };
  input.signal?.throwIfAborted();
  return rowErrors(input.source, check, input);
}
