/**
 * The rows of an uploaded spreadsheet, one at a time, whatever the file type: a worksheet of an
 * .xlsx through exceljs' streaming reader (after the zip guard), or a CSV (UTF-8, GB18030/GBK
 * or UTF-16; comma, semicolon or tab between fields).
 */
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { normaliseCell, type CellValue } from './cells';
import { readCsv, unwrapCsvFormulaText } from './csv';
import { RosterFormatError } from '../format-error';
import { checkXmlDecoding } from './xml-decoding';
import { inspectXlsx, ZIP_MESSAGES, type ZipLimits } from './zip-guard';
import { worksheetsLast } from './zip-order';

/** An uploaded file. */
export interface RosterSource {
  buffer: Buffer;
  fileName: string;
}

/** One row as read: its sheet row number and its normalised cells, `values[0]` being column A. */
export interface RawRow {
  rowNumber: number;
  values: CellValue[];
  /**
   * Cells holding a formula whose result the file does not store (some tools write formulas
   * only): 0-based column → the formula. Their value is null; no value can be known.
   */
  formulas?: Map<number, string>;
}

/** The worksheet being read, as {@link SheetRowsOptions.onSheet} tells it. */
export interface SheetInfo {
  /** 0-based, among the visible worksheets in tab order. */
  index: number;
  /** As on its tab; undefined for a CSV. */
  name?: string;
  /** Visible worksheets in the file (1 for a CSV). */
  count: number;
}

/** How a file will be read. */
export type SheetFormat = 'xlsx' | 'csv';

/** Picks the reader from the bytes first (a renamed file is still what it is), then the name. */
export function detectFormat(source: RosterSource): SheetFormat {
  const head = source.buffer.subarray(0, 4);
  if (head.equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'xlsx';
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) throw new RosterFormatError(ZIP_MESSAGES.legacyOrEncrypted);
  const ext = /\.([^.]+)$/.exec(source.fileName.trim())?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls' || ext === 'et') throw new RosterFormatError(ZIP_MESSAGES.notXlsx);
  throw new RosterFormatError('只能导入 .xlsx 或 .csv 文件，请用 Excel 或 WPS 另存为 .xlsx 后重新发送');
}

/** Options of {@link sheetRows}. */
export interface SheetRowsOptions {
  zipLimits?: Partial<ZipLimits>;
  /**
   * Hands an .xlsx to the unzipper in pieces of this many bytes (default: all at once). Where
   * the pieces end moves where each XML part is cut into chunks; tests vary it.
   */
  inputChunkBytes?: number;
  /** Which visible worksheet of an .xlsx to read, in tab order (default 0, the first). */
  sheetIndex?: number;
  /** Told which worksheet is read, before its first row. */
  onSheet?: (sheet: SheetInfo) => void;
}

/** Rows per batch handed out: one await per batch, not per row; few enough to die young (256 raised the memory peak, measured). */
const ROWS_PER_BATCH = 64;

/**
 * Every row of a worksheet (the first visible one unless `sheetIndex` says otherwise) that has
 * a cell, in order and in batches (empty rows are skipped, row numbers are kept). Throws
 * {@link RosterFormatError} for a file it cannot read.
 */
export async function* sheetRowBatches(source: RosterSource, opts: SheetRowsOptions = {}): AsyncGenerator<RawRow[]> {
  if (detectFormat(source) === 'csv') {
    opts.onSheet?.({ index: 0, count: 1 });
    let batch: RawRow[] = [];
    for (const record of readCsv(source.buffer)) {
      const values = record.fields.map((f) => normaliseCell(unwrapCsvFormulaText(f)));
      if (values.some((v) => v !== null)) batch.push({ rowNumber: record.rowNumber, values });
      if (batch.length === ROWS_PER_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const verdict = await inspectXlsx(source.buffer, opts.zipLimits);
  if (!verdict.ok) throw new RosterFormatError(verdict.message);
  await checkXmlDecoding(); // an exceljs without our patch would garble Chinese text
  yield* xlsxRowBatches(worksheetsLast(source.buffer), opts);
}

/** {@link sheetRowBatches} a row at a time. */
export async function* sheetRows(source: RosterSource, opts: SheetRowsOptions = {}): AsyncGenerator<RawRow> {
  for await (const batch of sheetRowBatches(source, opts)) yield* batch;
}

interface SheetMeta {
  name?: string;
  state?: string;
}

/** The visible worksheets in tab order, once the workbook part has been read. */
function visibleSheets(reader: ExcelJS.stream.xlsx.WorkbookReader): SheetMeta[] | undefined {
  const model = (reader as unknown as { model?: { sheets?: SheetMeta[] } }).model;
  return model?.sheets?.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
}

function pieces(buffer: Buffer, size: number | undefined): Buffer[] {
  if (!size || size >= buffer.length) return [buffer];
  const out: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += size) out.push(buffer.subarray(at, at + size));
  return out;
}

/** A formula cell without a stored result (exceljs gives `{ formula }` and no `result`). */
function formulaWithoutResult(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
  const v = value as { formula?: unknown; sharedFormula?: unknown; result?: unknown };
  if (v.result !== undefined || (v.formula === undefined && v.sharedFormula === undefined)) return undefined;
  return String(v.formula ?? v.sharedFormula ?? '');
}

async function* xlsxRowBatches(buffer: Buffer, opts: SheetRowsOptions): AsyncGenerator<RawRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(pieces(buffer, opts.inputChunkBytes)), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  const index = opts.sheetIndex ?? 0;
  try {
    for await (const worksheet of reader) {
      const sheets = visibleSheets(reader);
      const wanted = sheets?.[index]?.name;
      const name = (worksheet as unknown as SheetMeta).name;
      if (sheets && wanted === undefined) break; // no such sheet
      if (wanted !== undefined && name !== undefined && name !== wanted) continue; // skipped sheets drain
      opts.onSheet?.({ index, name: wanted ?? name, count: sheets?.length ?? 1 });
      let batch: RawRow[] = [];
      for await (const row of worksheet) {
        const values: CellValue[] = [];
        let formulas: Map<number, string> | undefined;
        let any = false;
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const v = normaliseCell(cell.value);
          values[col - 1] = v;
          if (v !== null) any = true;
          else {
            const formula = formulaWithoutResult(cell.value);
            if (formula !== undefined) (formulas ??= new Map()).set(col - 1, formula);
          }
        });
        if (!any && !formulas) continue;
        for (let i = 0; i < values.length; i++) values[i] ??= null; // holes left by empty cells
        batch.push(formulas ? { rowNumber: row.number, values, formulas } : { rowNumber: row.number, values });
        if (batch.length === ROWS_PER_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      return;
    }
  } catch (err) {
    if (err instanceof RosterFormatError) throw err;
    throw new RosterFormatError(ZIP_MESSAGES.damaged, { cause: err });
  }
  throw new RosterFormatError('文件中没有工作表，请在第一个工作表中填写后重新发送');
}
