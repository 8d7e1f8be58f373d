/**
 * Reads an uploaded member spreadsheet once, validating every row against the admin's scope.
 * Keeps only what the import needs: the valid rows while the file is still clean (dropped at
 * the first error, since nothing will be written then), every row's problems, and the ID
 * numbers seen (for R4 checks).
 */
import { cellText } from './cells';
import type { HeaderMap, RosterRow } from './reader';
import { openRoster, type RosterSource } from './reader';
import type { ImportScope } from './scope';
import { validateRow, type RowError, type ValidRosterRow } from './validate-row';
import type { ZipLimits } from './zip-guard';
import { normaliseOrgName } from '../org-names';

/** What one pass over the file found. */
export interface FileCheck {
  headerMap: HeaderMap;
  /** Data rows read. */
  rowCount: number;
  /** Every valid row, when `errors` is empty; otherwise empty. */
  valid: ValidRosterRow[];
  /** Row number → its problems. */
  errors: Map<number, RowError[]>;
  /** Every well-formed ID number → the first row it appeared in. */
  seenIds: Map<string, number>;
}

/** Options of {@link checkFile}. */
export interface CheckFileOptions {
  maxRows: number;
  today: string;
  zipLimits?: Partial<ZipLimits>;
  /** Rows read so far, every few hundred rows and at the end. */
  onRows?: (done: number) => void | Promise<void>;
}

/** 职务 values that mean "none" (a member's row often says so). */
const NO_POST = new Set(['无', '没有', '-', '—', '/', '团员']);

/** The message for a 团员 row that names a post. */
export const MEMBER_WITH_POST_MESSAGE = '政治面貌为“团员”时“职务”应留空；担任团内职务的，请把政治面貌改为“团干部”';

/** Checks the importer adds to validateRow's: a post only for a cadre. */
function extraChecks(row: ValidRosterRow): RowError[] {
  if (row.role === 'member' && row.postTitle !== null && !NO_POST.has(row.postTitle)) {
    return [{ column: 'postTitle', message: MEMBER_WITH_POST_MESSAGE }];
  }
  return [];
}

/** Replaces 组织不存在 by the reason the name cannot be used, when it names a real organisation. */
async function explainBranch(row: RosterRow, errors: RowError[], scope: ImportScope): Promise<void> {
  const i = errors.findIndex((e) => e.column === 'branchFullName');
  if (i < 0 || row.cells.branchFullName === null) return;
  const better = await scope.explainUnusable(normaliseOrgName(cellText(row.cells.branchFullName)));
  if (better) errors[i] = { column: 'branchFullName', message: better };
}

/**
 * Streams `source` and validates each row. Throws RosterFormatError for a problem with the
 * file as a whole (type, header, row limit, zip guard).
 * @example const check = await checkFile(source, scope, { maxRows: 100000, today: '2026-11-25' });
 */
export async function checkFile(source: RosterSource, scope: ImportScope, opts: CheckFileOptions): Promise<FileCheck> {
  const { header, rows } = await openRoster(source, { maxRows: opts.maxRows, zipLimits: opts.zipLimits, onProgress: opts.onRows, progressEvery: 500 });
  const seenIds = new Map<string, number>();
  const ctx = { branchByName: scope.branchByName, suggest: scope.suggest, seenIds, today: opts.today };
  const errors = new Map<number, RowError[]>();
  let valid: ValidRosterRow[] = [];
  let rowCount = 0;
  for await (const row of rows) {
    rowCount++;
    const result = validateRow(row, ctx);
    const problems = result.ok ? extraChecks(result.value) : result.errors;
    if (problems.length === 0) {
      if (errors.size === 0) valid.push((result as { value: ValidRosterRow }).value);
      continue;
    }
    if (!result.ok) await explainBranch(row, problems, scope);
    errors.set(row.rowNumber, problems);
    valid = []; // nothing will be written: let the rows go
  }
  return { headerMap: header.columns, rowCount, valid, errors, seenIds };
}
