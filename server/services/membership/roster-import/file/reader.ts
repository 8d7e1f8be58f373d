/**
 * Reads a member spreadsheet (R7 import) row by row: finds the header row, maps headers to
 * template columns and yields each non-empty data row with its cells normalised. Streaming:
 * the whole workbook is never loaded.
 */
import { cellText, type CellValue } from './cells';
import { COLUMNS, matchHeader, type ColumnKey } from '../rows/columns';
import { RosterFormatError } from '../format-error';
import { mapHeader, noHeaderError, noHeaderInSheetsError, type HeaderMap, type RosterHeader } from './header';
import { sheetRowBatches, type RawRow, type RosterSource, type SheetInfo } from './sheet-rows';
import type { ZipLimits } from './zip-guard';

export { RosterFormatError } from '../format-error';
export { mapHeader, type HeaderMap, type RosterHeader } from './header';
export type { RosterSource } from './sheet-rows';

/** One data row: its sheet row number and a normalised value for every column (null when empty or absent). */
export interface RosterRow {
  rowNumber: number;
  cells: Record<ColumnKey, CellValue>;
  /** Columns holding a formula whose result the file does not store (their cell is null), with the formula. */
  formulas?: Partial<Record<ColumnKey, string>>;
}

/** Options of {@link openRoster}. */
export interface ReadRosterOptions {
  /** More data rows than this is an error (the file must be split). */
  maxRows: number;
  /** Called with the number of data rows read so far, every `progressEvery` rows and at the end. */
  onProgress?: (done: number) => void | Promise<void>;
  /** Default 100. */
  progressEvery?: number;
  zipLimits?: Partial<ZipLimits>;
  /** See SheetRowsOptions.inputChunkBytes (tests). */
  inputChunkBytes?: number;
}

/** A spreadsheet whose header has been read; `batches` streams the data rows, a batch at a time. */
export interface OpenedRoster {
  header: RosterHeader;
  batches: AsyncGenerator<RosterRow[]>;
}

/** Title lines tolerated above the header row. */
const TITLE_ROWS_ALLOWED = 3;

/** The message for a file with more than `maxRows` data rows. */
export const tooManyRowsMessage = (maxRows: number): string => `超过行数上限 ${maxRows} 行，请拆分后分批导入`;

/** Every template column and its 0-based index in a raw row (-1: not in the sheet). */
type ColumnIndexes = ReadonlyArray<readonly [ColumnKey, number]>;

const columnIndexes = (columns: HeaderMap): ColumnIndexes => COLUMNS.map((c) => [c.key, (columns.get(c.key) ?? 0) - 1] as const);

/** The row's template columns; undefined when all of them are empty (only unused columns filled). */
function toRosterRow(raw: RawRow, indexes: ColumnIndexes): RosterRow | undefined {
  const cells = {} as Record<ColumnKey, CellValue>;
  let any = false;
  let formulas: RosterRow['formulas'];
  for (const [key, i] of indexes) {
    const value = i < 0 ? null : (raw.values[i] ?? null);
    cells[key] = value;
    if (value !== null) any = true;
    const formula = i < 0 ? undefined : raw.formulas?.get(i);
    if (formula !== undefined) (formulas ??= {})[key] = formula;
  }
  if (formulas) return { rowNumber: raw.rowNumber, cells, formulas };
  return any ? { rowNumber: raw.rowNumber, cells } : undefined;
}

/** `工作表“名单”：` before a message about a sheet, when the file has more than one. */
const onSheet = (sheet: SheetInfo | undefined, message: string): string =>
  sheet?.name !== undefined && sheet.count > 1 ? `工作表“${sheet.name}”：${message}` : message;

async function* dataRowBatches(first: RawRow[], rest: AsyncGenerator<RawRow[]>, header: RosterHeader, opts: ReadRosterOptions): AsyncGenerator<RosterRow[]> {
  const every = opts.progressEvery ?? 100;
  const indexes = columnIndexes(header.columns);
  let done = 0;
  const toRows = async (raws: RawRow[]): Promise<RosterRow[]> => {
    const rows: RosterRow[] = [];
    for (const raw of raws) {
      const row = toRosterRow(raw, indexes);
      if (!row) continue;
      if (++done > opts.maxRows) throw new RosterFormatError(tooManyRowsMessage(opts.maxRows));
      rows.push(row);
      if (done % every === 0) await opts.onProgress?.(done);
    }
    return rows;
  };
  yield await toRows(first);
  for await (const raws of rest) yield await toRows(raws);
  if (done === 0) throw new RosterFormatError(onSheet(header.sheet, '表格中只有表头，没有团员信息，请在表头下方逐行填写后重新发送'));
  if (done % every !== 0) await opts.onProgress?.(done);
}

/** The first rows of a sheet, where the header is looked for. */
async function leadingRows(raw: AsyncGenerator<RawRow[]>): Promise<RawRow[]> {
  const leading: RawRow[] = [];
  while (leading.length < TITLE_ROWS_ALLOWED + 1) {
    const next = await raw.next();
    if (next.done) break;
    leading.push(...next.value);
  }
  return leading;
}

/** The header row among the first rows: the first naming any template column; a title line above it (none) is skipped. */
const headerAt = (leading: RawRow[]): number =>
  leading.slice(0, TITLE_ROWS_ALLOWED + 1).findIndex((r) => r.values.some((v) => v !== null && matchHeader(cellText(v))));

/**
 * Opens an uploaded .xlsx or .csv and reads its header: the first non-empty row, up to 3 title
 * lines without any column name above it skipped, on the first visible worksheet that has one
 * that can be used (a roster on the second sheet is found). Throws {@link RosterFormatError} for
 * an unreadable file or a bad header (naming the sheet when there are several); iterating
 * `batches` may throw it too (too many rows, a damaged sheet), so write nothing before it has
 * finished.
 * @example const { header, batches } = await openRoster({ buffer, fileName }, { maxRows: 5000 });
 */
export async function openRoster(source: RosterSource, opts: ReadRosterOptions): Promise<OpenedRoster> {
  const sheetsTried: string[] = [];
  let firstLeading: RawRow[] | undefined;
  let firstProblem: RosterFormatError | undefined;
  for (let index = 0; ; index++) {
    let sheet: SheetInfo = { index, count: 1 };
    const raw = sheetRowBatches(source, {
      zipLimits: opts.zipLimits,
      inputChunkBytes: opts.inputChunkBytes,
      sheetIndex: index,
      onSheet: (s) => void (sheet = s),
    });
    let handedOut = false;
    try {
      const leading = await leadingRows(raw);
      const at = headerAt(leading);
      if (at >= 0) {
        try {
          const header: RosterHeader = { ...mapHeader(leading[at]), sheet };
          handedOut = true;
          return { header, batches: dataRowBatches(leading.slice(at + 1), raw, header, opts) };
        } catch (err) {
          if (!(err instanceof RosterFormatError)) throw err;
          firstProblem ??= new RosterFormatError(onSheet(sheet, err.message));
        }
      }
      firstLeading ??= leading;
      if (sheet.name !== undefined) sheetsTried.push(sheet.name);
      if (index + 1 < sheet.count) continue; // the roster may be on a later sheet
      if (firstProblem) throw firstProblem;
      if (sheetsTried.length > 1) throw noHeaderInSheetsError(sheetsTried);
      if (firstLeading.length === 0) throw new RosterFormatError('文件是空的，请使用导入模板填写后重新发送');
      throw noHeaderError(firstLeading[0]);
    } finally {
      if (!handedOut) await raw.return(undefined);
    }
  }
}

/** {@link openRoster} for callers that only need the rows, one at a time. */
export async function* readRoster(source: RosterSource, opts: ReadRosterOptions): AsyncGenerator<RosterRow> {
  const { batches } = await openRoster(source, opts);
  for await (const batch of batches) yield* batch;
}
