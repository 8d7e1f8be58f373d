/**
 * The rows of an uploaded spreadsheet, one at a time, whatever the file type: the first
 * worksheet of an .xlsx through exceljs' streaming reader (after the zip guard), or a UTF-8 CSV.
 */
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { normaliseCell, type CellValue } from './cells';
import { decodeCsv, parseCsv, unwrapCsvFormulaText } from './csv';
import { RosterFormatError } from './format-error';
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
}

/** Rows per batch handed out: one await per batch, not per row; few enough to die young (256 raised the memory peak, measured). */
const ROWS_PER_BATCH = 64;

/**
 * Every row of the first worksheet that has a cell, in order and in batches (empty rows are
 * skipped, row numbers are kept). Throws {@link RosterFormatError} for a file it cannot read.
 */
export async function* sheetRowBatches(source: RosterSource, opts: SheetRowsOptions = {}): AsyncGenerator<RawRow[]> {
  if (detectFormat(source) === 'csv') {
    let batch: RawRow[] = [];
    for (const record of parseCsv(decodeCsv(source.buffer))) {
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
  yield* xlsxRowBatches(worksheetsLast(source.buffer), opts.inputChunkBytes);
}

/** {@link sheetRowBatches} a row at a time. */
export async function* sheetRows(source: RosterSource, opts: SheetRowsOptions = {}): AsyncGenerator<RawRow> {
  for await (const batch of sheetRowBatches(source, opts)) yield* batch;
}

interface SheetMeta {
  name?: string;
  state?: string;
}

/** The first visible worksheet in tab order, if the workbook part has been read already. */
function firstSheetName(reader: ExcelJS.stream.xlsx.WorkbookReader): string | undefined {
  const model = (reader as unknown as { model?: { sheets?: SheetMeta[] } }).model;
  return model?.sheets?.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden')?.name;
}

function pieces(buffer: Buffer, size: number | undefined): Buffer[] {
  if (!size || size >= buffer.length) return [buffer];
  const out: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += size) out.push(buffer.subarray(at, at + size));
  return out;
}

async function* xlsxRowBatches(buffer: Buffer, inputChunkBytes?: number): AsyncGenerator<RawRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(pieces(buffer, inputChunkBytes)), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  try {
    for await (const worksheet of reader) {
      const wanted = firstSheetName(reader);
      const name = (worksheet as unknown as SheetMeta).name;
      if (wanted !== undefined && name !== undefined && name !== wanted) continue; // skipped sheets drain
      let batch: RawRow[] = [];
      for await (const row of worksheet) {
        const values: CellValue[] = [];
        let any = false;
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const v = normaliseCell(cell.value);
          values[col - 1] = v;
          if (v !== null) any = true;
        });
        if (!any) continue;
        for (let i = 0; i < values.length; i++) values[i] ??= null; // holes left by empty cells
        batch.push({ rowNumber: row.number, values });
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
