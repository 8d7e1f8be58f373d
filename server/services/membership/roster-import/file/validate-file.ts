/**
 * Reads an uploaded member spreadsheet once, validating each row against the admin's scope,
 * and hands the valid rows out in batches while the file is clean, so they can be written as
 * they come. Memory stays bounded: no batch is kept, only the rows' problems and the ID
 * numbers seen (for R4 checks).
 */
import { normaliseOrgName } from '../../../organisations/org-names';
import { cellText } from './cells';
import { openRoster, type HeaderMap, type RosterRow, type RosterSource } from './reader';
import type { ImportScope } from '../scope';
import { validateRow, type RowError, type ValidateContext, type ValidRosterRow } from '../rows/validate-row';
import { namesPost } from '../rows/values';
import type { ZipLimits } from './zip-guard';

/** Options of {@link RosterCheck.open}. */
export interface CheckFileOptions {
  maxRows: number;
  today: string;
  zipLimits?: Partial<ZipLimits>;
  /** Rows read so far, every few hundred rows and at the end. */
  onRows?: (done: number) => void | Promise<void>;
}

/** The message for a 团员 row that names a post. */
export const MEMBER_WITH_POST_MESSAGE = '政治面貌为“团员”时“职务”应留空；担任团内职务的，请把政治面貌改为“团干部”';

/** Checks the importer adds to validateRow's: a post only for a cadre. Undefined when there is no problem. */
function extraChecks(row: ValidRosterRow): RowError[] | undefined {
  if (row.role === 'member' && namesPost(row.postTitle)) {
    return [{ column: 'postTitle', message: MEMBER_WITH_POST_MESSAGE }];
  }
  return undefined;
}

/**
 * One pass over a spreadsheet: `nextBatch` while the file is clean, then `drain` for the
 * rest once a row is wrong (or the rows cannot be written), so that every problem is found.
 * Reading may throw RosterFormatError (type, header, row limit, zip guard).
 */
export class RosterCheck {
  /** Row number → its problems. */
  readonly errors = new Map<number, RowError[]>();
  /** Every well-formed ID number → the first row it appeared in (R4 within the file). */
  readonly seenIds = new Map<string, number>();
  /** Data rows read so far. */
  rowCount = 0;
  private finished = false;
  private readonly ctx: ValidateContext;
  /** The batch being checked, and the next row of it. */
  private current: RosterRow[] = [];
  private at = 0;

  private constructor(
    readonly headerMap: HeaderMap,
    private readonly batches: AsyncGenerator<RosterRow[]>,
    private readonly scope: ImportScope,
    today: string,
  ) {
    this.ctx = { branchByName: scope.branchByName, suggest: scope.suggest, seenIds: this.seenIds, today };
  }

  /** Opens the file and reads its header. */
  static async open(source: RosterSource, scope: ImportScope, opts: CheckFileOptions): Promise<RosterCheck> {
    const { header, batches } = await openRoster(source, { maxRows: opts.maxRows, zipLimits: opts.zipLimits, onProgress: opts.onRows, progressEvery: 500 });
    return new RosterCheck(header.columns, batches, scope, opts.today);
  }

  /** No row has had a problem so far. */
  get clean(): boolean {
    return this.errors.size === 0;
  }

  /** Up to `size` valid rows; empty at the end of the file, and once any row was wrong. */
  async nextBatch(size: number): Promise<ValidRosterRow[]> {
    return this.checkRows(size, true);
  }

  /** Reads and checks the rest of the file, keeping only problems. */
  async drain(): Promise<void> {
    await this.checkRows(Infinity, false);
  }

  /** Stops reading (an early exit). */
  async close(): Promise<void> {
    this.finished = true;
    await this.batches.return(undefined);
  }

  /**
   * Checks rows until `size` valid ones are gathered, the file ends or (`whileClean`) a row is
   * wrong. A loop, not a call per row: only a new batch of the file and a wrong row await.
   */
  private async checkRows(size: number, whileClean: boolean): Promise<ValidRosterRow[]> {
    const valid: ValidRosterRow[] = [];
    while (valid.length < size && (this.clean || !whileClean) && (this.at < this.current.length || (await this.nextFileBatch()))) {
      const row = this.current[this.at++];
      this.rowCount++;
      const result = validateRow(row, this.ctx);
      if (result.ok) {
        const problems = extraChecks(result.value);
        if (problems) this.errors.set(row.rowNumber, problems);
        else if (whileClean) valid.push(result.value);
      } else {
        await this.explainBranch(row, result.errors);
        this.errors.set(row.rowNumber, result.errors);
      }
    }
    return this.clean ? valid : [];
  }

  /** Moves on to the file's next batch of rows; false at its end. */
  private async nextFileBatch(): Promise<boolean> {
    while (!this.finished && this.at === this.current.length) {
      const next = await this.batches.next();
      if (next.done) this.finished = true;
      else {
        this.current = next.value;
        this.at = 0;
      }
    }
    return this.at < this.current.length;
  }

  /** Replaces 组织不存在 by the reason the name cannot be used, when it names a real organisation. */
  private async explainBranch(row: RosterRow, errors: RowError[]): Promise<void> {
    const i = errors.findIndex((e) => e.column === 'branchFullName');
    if (i < 0 || row.cells.branchFullName === null) return;
    const better = await this.scope.explainUnusable(normaliseOrgName(cellText(row.cells.branchFullName)));
    if (better) errors[i] = { column: 'branchFullName', message: better };
  }
}
