/**
 * The error report of a fee payment sheet: the rows as they were read, wrong cells filled
 * light red and a last column 错误信息, so it can be fixed and sent back as it is.
 */
import * as ExcelJS from 'exceljs';
import { cellText } from '../../membership/roster-import/file/cells';
import { ERROR_COLUMN_HEADER } from '../../membership/roster-import/error-report';
import type { PaymentColumnKey } from './columns';
import type { PaymentSheet } from './sheet';
import { PAYMENT_SHEET } from './template';

/** One problem of a row, with the column to mark. */
export interface PaymentRowError {
  column: PaymentColumnKey;
  message: string;
}

const FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };

export async function buildPaymentReport(sheet: PaymentSheet, errors: ReadonlyMap<number, PaymentRowError[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(PAYMENT_SHEET);
  const header = sheet.raw.find((r) => r.rowNumber === sheet.headerRow)!;
  const existing = header.values.findIndex((v) => v !== null && cellText(v) === ERROR_COLUMN_HEADER);
  const width = header.values.reduce<number>((w, v, i) => (v === null ? w : i + 1), 0);
  const errorCol = existing >= 0 ? existing + 1 : width + 1;
  ws.columns = Array.from({ length: errorCol }, (_, i) => ({
    width: i + 1 === errorCol ? 60 : 18,
    style: { numFmt: i + 1 === sheet.columns.get('idNumber') || i + 1 === sheet.columns.get('months') ? '@' : 'General' },
  }));
  for (const raw of sheet.raw) {
    const row = ws.getRow(raw.rowNumber);
    raw.values.forEach((v, i) => {
      if (v === null || i + 1 === errorCol) return; // an old 错误信息 is dropped
      const cell = row.getCell(i + 1);
      cell.value = v;
      if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    });
    if (raw.rowNumber === sheet.headerRow) {
      row.font = { bold: true };
      row.getCell(errorCol).value = ERROR_COLUMN_HEADER;
      row.getCell(errorCol).font = { bold: true, color: FONT.color };
    }
    const problems = errors.get(raw.rowNumber);
    if (problems?.length) {
      for (const p of problems) {
        const col = sheet.columns.get(p.column);
        if (col !== undefined) row.getCell(col).fill = FILL;
      }
      const cell = row.getCell(errorCol);
      cell.value = problems.map((p) => p.message).join('；');
      cell.font = FONT;
      cell.alignment = { wrapText: true, vertical: 'top' };
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
