/**
 * The error report: the uploaded spreadsheet sent back as .xlsx with a last column 错误信息 and
 * the wrong cells filled light red, every value as it was read, so that the report can be fixed
 * and sent back as it is. Text goes into text cells (the shared-strings table), which a
 * spreadsheet never evaluates: `+86 139 0951 0123` or `=1+1` stay text without a `'` in front
 * (that guard belongs to CSV output, and the report is never CSV). Streams in (the same reader
 * as the import) and out (exceljs' streaming writer).
 */
import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { cellText, type CellValue } from './file/cells';
import { matchHeader } from './rows/columns';
import type { HeaderMap } from './file/reader';
import { sheetRows, type RawRow, type RosterSource } from './file/sheet-rows';
import { TEMPLATE_SHEET } from './template';
import type { RowError } from './rows/validate-row';
import type { ZipLimits } from './file/zip-guard';

/** Header of the column added to the report. */
export const ERROR_COLUMN_HEADER = '错误信息';

/** Rows held while looking for the header; past this the first row is taken as the header. */
const LEADING_ROWS_HELD = 10;
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const ERROR_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };

/** Text that Excel would take for a formula if it were typed into the cell (it is not evaluated as it is). */
const FORMULA_LIKE = /^[=+\-@]/;
const TEXT_FORMAT = '@';

/** The header row: the first row naming the columns of `headerMap` where it says they are. */
function isHeaderRow(row: RawRow, headerMap: HeaderMap): boolean {
  for (const [key, col] of headerMap) {
    const v = row.values[col - 1];
    if (v !== null && v !== undefined && matchHeader(cellText(v)) === key) return true;
  }
  return false;
}

/** Options of {@link buildErrorReport}. */
export interface ErrorReportOptions {
  zipLimits?: Partial<ZipLimits>;
}

/**
 * Builds the report for a file whose rows had errors (`errors`: row number → its problems,
 * `headerMap` as returned by openRoster). Always .xlsx, also for CSV input. A 错误信息 column
 * already there (a report sent back again) is reused and its old text dropped.
 * @example const file = await buildErrorReport(source, errors, header.columns); // 错误报告.xlsx
 */
export async function buildErrorReport(
  source: RosterSource,
  errors: ReadonlyMap<number, readonly RowError[]>,
  headerMap: HeaderMap,
  opts: ErrorReportOptions = {},
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => out.on('end', resolve).on('error', reject));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  const ws = wb.addWorksheet(TEMPLATE_SHEET);

  const pending: RawRow[] = []; // rows up to the header, held until the columns are known
  let errorCol = 0;
  let reusingErrorCol = false;
  let headerRowNumber = 0;
  const idCol = headerMap.get('idNumber');

  const writeRow = (raw: RawRow) => {
    const row = ws.getRow(raw.rowNumber);
    raw.values.forEach((v, i) => {
      if (v === null || (reusingErrorCol && i + 1 === errorCol)) return; // an old 错误信息 is dropped
      const cell = row.getCell(i + 1);
      cell.value = v;
      if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      // Formatted as text too, so that editing such a cell in Excel keeps it text.
      else if (typeof v === 'string' && FORMULA_LIKE.test(v)) cell.numFmt = TEXT_FORMAT;
    });
    // A formula whose result the file did not store: shown as the formula, as text.
    raw.formulas?.forEach((formula, i) => {
      if (formula === '' || (reusingErrorCol && i + 1 === errorCol)) return;
      const cell = row.getCell(i + 1);
      cell.value = `=${formula}`;
      cell.numFmt = TEXT_FORMAT;
    });
    if (raw.rowNumber === headerRowNumber) {
      row.font = { bold: true };
      const cell = row.getCell(errorCol);
      cell.value = ERROR_COLUMN_HEADER;
      cell.font = { bold: true, color: ERROR_FONT.color };
    }
    const rowErrors = errors.get(raw.rowNumber);
    if (rowErrors && rowErrors.length > 0) {
      for (const e of rowErrors) {
        const col = headerMap.get(e.column);
        if (col !== undefined) row.getCell(col).fill = ERROR_FILL;
      }
      const cell = row.getCell(errorCol);
      cell.value = rowErrors.map((e) => e.message).join('；');
      cell.font = ERROR_FONT;
      cell.alignment = { wrapText: true, vertical: 'top' };
    }
    row.commit();
  };

  const startColumns = (header: RawRow) => {
    headerRowNumber = header.rowNumber;
    const existing = header.values.findIndex((v) => v !== null && cellText(v) === ERROR_COLUMN_HEADER);
    const width = header.values.reduce<number>((w, v, i) => (v === null ? w : i + 1), 0);
    reusingErrorCol = existing >= 0;
    errorCol = reusingErrorCol ? existing + 1 : width + 1;
    ws.columns = Array.from({ length: errorCol }, (_, i) => ({
      width: i + 1 === errorCol ? 60 : i + 1 === headerMap.get('branchFullName') ? 40 : 16,
      style: i + 1 === idCol ? { numFmt: TEXT_FORMAT } : {},
    }));
  };

  /**
   * Writes worksheet `index` of the source. Without `orFirstRow`, gives up (writing nothing)
   * when the header is not among its first rows: the roster is on another sheet.
   */
  const writeSheet = async (index: number, orFirstRow: boolean): Promise<boolean> => {
    for await (const raw of sheetRows(source, { zipLimits: opts.zipLimits, sheetIndex: index, onSheet: (s) => void (sheetCount = s.count) })) {
      if (errorCol === 0) {
        pending.push(raw);
        const isHeader = isHeaderRow(raw, headerMap);
        if (!isHeader && pending.length <= LEADING_ROWS_HELD) continue;
        if (!isHeader && !orFirstRow) return false;
        startColumns(isHeader ? raw : pending[0]);
        pending.splice(0).forEach(writeRow);
        continue;
      }
      writeRow(raw);
    }
    if (errorCol === 0 && !orFirstRow) return false;
    if (errorCol === 0) {
      // A short file without the header (not one that openRoster read): keep the rows, add the column.
      startColumns(pending[0] ?? { rowNumber: 1, values: [] });
      pending.splice(0).forEach(writeRow);
    }
    return true;
  };
  // The sheet openRoster read: the first whose first rows hold the header (nearly always the first sheet).
  let sheetCount = 1;
  let written = false;
  for (let index = 0; !written && index < sheetCount; index++) {
    pending.length = 0;
    written = await writeSheet(index, false);
  }
  if (!written) {
    pending.length = 0;
    await writeSheet(0, true);
  }
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
