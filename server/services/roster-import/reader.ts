/**
 * Reads a member spreadsheet (R7 import) row by row: finds the header row, maps headers to
 * template columns and yields each non-empty data row with its cells normalised. Streaming:
 * the whole workbook is never loaded.
 */
import { cellText, columnLetter, type CellValue } from './cells';
import { COLUMNS, columnByKey, matchHeader, type ColumnKey } from './columns';
import { RosterFormatError } from './format-error';
import { sheetRowBatches, type RawRow, type RosterSource } from './sheet-rows';
import type { ZipLimits } from './zip-guard';

export { RosterFormatError } from './format-error';
export type { RosterSource } from './sheet-rows';

/** Where each template column is: key → 1-based column number in the sheet. */
export type HeaderMap = Map<ColumnKey, number>;

/** The header row as found. */
export interface RosterHeader {
  rowNumber: number;
  columns: HeaderMap;
  /** Headers of columns the import does not use (they are ignored). */
  ignored: string[];
}

/** One data row: its sheet row number and a normalised value for every column (null when empty or absent). */
export interface RosterRow {
  rowNumber: number;
  cells: Record<ColumnKey, CellValue>;
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

function noHeaderError(rowNumber: number): RosterFormatError {
  return new RosterFormatError(
    `第 ${rowNumber} 行应为表头（${COLUMNS.map((c) => c.header).join('、')}），但没有找到这些列名，请使用导入模板填写`,
  );
}

/**
 * Maps a header row to template columns. Throws {@link RosterFormatError} when required
 * columns are missing (listing them) or a column appears twice.
 */
export function mapHeader(row: RawRow): RosterHeader {
  const columns: HeaderMap = new Map();
  const ignored: string[] = [];
  row.values.forEach((value, i) => {
    if (value === null) return;
    const text = cellText(value);
    const key = matchHeader(text);
    if (!key) return void ignored.push(text);
    const earlier = columns.get(key);
    if (earlier !== undefined) {
      throw new RosterFormatError(
        `“${columnByKey(key).header}”列出现了两次（第 ${columnLetter(earlier)} 列和第 ${columnLetter(i + 1)} 列），请删除多余的一列后重新发送`,
      );
    }
    columns.set(key, i + 1);
  });
  const missing = COLUMNS.filter((c) => c.required && !columns.has(c.key)).map((c) => c.header);
  if (columns.size === 0) throw noHeaderError(row.rowNumber);
  if (missing.length > 0) {
    throw new RosterFormatError(`缺少必填列：${missing.join('、')}。请在第 ${row.rowNumber} 行（表头）补上这些列，或使用导入模板填写`);
  }
  return { rowNumber: row.rowNumber, columns, ignored };
}

/** Every template column and its 0-based index in a raw row (-1: not in the sheet). */
type ColumnIndexes = ReadonlyArray<readonly [ColumnKey, number]>;

const columnIndexes = (columns: HeaderMap): ColumnIndexes => COLUMNS.map((c) => [c.key, (columns.get(c.key) ?? 0) - 1] as const);

/** The row's template columns; undefined when all of them are empty (only unused columns filled). */
function toRosterRow(raw: RawRow, indexes: ColumnIndexes): RosterRow | undefined {
  const cells = {} as Record<ColumnKey, CellValue>;
  let any = false;
  for (const [key, i] of indexes) {
    const value = i < 0 ? null : (raw.values[i] ?? null);
    cells[key] = value;
    if (value !== null) any = true;
  }
  return any ? { rowNumber: raw.rowNumber, cells } : undefined;
}

async function* dataRowBatches(
  first: RawRow[],
  rest: AsyncGenerator<RawRow[]>,
  header: RosterHeader,
  opts: ReadRosterOptions,
): AsyncGenerator<RosterRow[]> {
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
  if (done === 0) throw new RosterFormatError('表格中只有表头，没有团员信息，请在表头下方逐行填写后重新发送');
  if (done % every !== 0) await opts.onProgress?.(done);
}

/**
 * Opens an uploaded .xlsx or .csv and reads its header (the first non-empty row; up to 3 title
 * lines without any column name above it are skipped). Throws
 * {@link RosterFormatError} for an unreadable file or a bad header; iterating `rows` may
 * throw it too (too many rows, a damaged sheet), so write nothing before it has finished.
 * @example const { header, rows } = await openRoster({ buffer, fileName }, { maxRows: 5000 });
 */
export async function openRoster(source: RosterSource, opts: ReadRosterOptions): Promise<OpenedRoster> {
  const raw = sheetRowBatches(source, { zipLimits: opts.zipLimits, inputChunkBytes: opts.inputChunkBytes });
  try {
    const leading: RawRow[] = [];
    // The header is the first non-empty row; a title line above it (no column name at all) is skipped.
    while (leading.length < TITLE_ROWS_ALLOWED + 1) {
      const next = await raw.next();
      if (next.done) break;
      leading.push(...next.value);
    }
    const at = leading.slice(0, TITLE_ROWS_ALLOWED + 1).findIndex((r) => r.values.some((v) => v !== null && matchHeader(cellText(v))));
    if (at >= 0) {
      const header = mapHeader(leading[at]);
      return { header, batches: dataRowBatches(leading.slice(at + 1), raw, header, opts) };
    }
    if (leading.length === 0) throw new RosterFormatError('文件是空的，请使用导入模板填写后重新发送');
    throw noHeaderError(leading[0].rowNumber);
  } catch (err) {
    await raw.return(undefined);
    throw err;
  }
}

/** {@link openRoster} for callers that only need the rows, one at a time. */
export async function* readRoster(source: RosterSource, opts: ReadRosterOptions): AsyncGenerator<RosterRow> {
  const { batches } = await openRoster(source, opts);
  for await (const batch of batches) yield* batch;
}
