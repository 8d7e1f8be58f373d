/**
 * Reads a fee payment spreadsheet (.xlsx or .csv, through the member import's row reader and
 * its zip guard): the header among the first rows, then every data row with its cells by
 * column. The rows are held (a payment sheet is small) for the error report.
 */
import { cellText, columnLetter, type CellValue } from '../../membership/roster-import/file/cells';
import { RosterFormatError } from '../../membership/roster-import/format-error';
import { sheetRowBatches, type RawRow, type RosterSource } from '../../membership/roster-import/file/sheet-rows';
import { matchPaymentHeader, PAYMENT_COLUMNS, paymentColumn, type PaymentColumnKey } from './columns';

/** One data row: its sheet row number and its cells by column (null when empty or absent). */
export interface PaymentRow {
  rowNumber: number;
  cells: Record<PaymentColumnKey, CellValue>;
}

export interface PaymentSheet {
  headerRow: number;
  /** Column key → 1-based column number. */
  columns: Map<PaymentColumnKey, number>;
  rows: PaymentRow[];
  /** Every row as read (title lines and header included), for the report. */
  raw: RawRow[];
}

/** Title lines tolerated above the header. */
const TITLE_ROWS = 3;

function headerOf(row: RawRow): Map<PaymentColumnKey, number> {
  const columns = new Map<PaymentColumnKey, number>();
  row.values.forEach((v, i) => {
    const key = v === null ? undefined : matchPaymentHeader(cellText(v));
    if (!key) return;
    if (columns.has(key))
      throw new RosterFormatError(
        `“${paymentColumn(key).header}”列出现了两次（第 ${columnLetter(columns.get(key)!)} 列和第 ${columnLetter(i + 1)} 列），请删除多余的一列后重新发送`,
      );
    columns.set(key, i + 1);
  });
  return columns;
}

/**
 * Reads the file. Throws RosterFormatError (a Chinese message for the admin) for a file that
 * cannot be read, a missing column, no data or more than `maxRows` rows.
 */
export async function readPaymentSheet(source: RosterSource, maxRows: number): Promise<PaymentSheet> {
  const raw: RawRow[] = [];
  let header: { row: RawRow; columns: Map<PaymentColumnKey, number> } | null = null;
  const rows: PaymentRow[] = [];
  for await (const batch of sheetRowBatches(source)) {
    for (const r of batch) {
      raw.push(r);
      if (!header) {
        const columns = headerOf(r);
        if (columns.size) header = { row: r, columns };
        else if (raw.length > TITLE_ROWS)
          throw new RosterFormatError(
            `没有找到表头（${PAYMENT_COLUMNS.map((c) => c.header).join('、')}）。请使用团费导入模板填写（发送 /fee_import 后点“下载模板”）`,
          );
        continue;
      }
      const cells = {} as Record<PaymentColumnKey, CellValue>;
      let any = false;
      for (const c of PAYMENT_COLUMNS) {
        const at = header.columns.get(c.key);
        cells[c.key] = at === undefined ? null : (r.values[at - 1] ?? null);
        if (cells[c.key] !== null) any = true;
      }
      if (!any) continue;
      if (rows.length >= maxRows) throw new RosterFormatError(`超过行数上限 ${maxRows} 行，请拆分后分批导入`);
      rows.push({ rowNumber: r.rowNumber, cells });
    }
  }
  if (!header) throw new RosterFormatError('文件是空的，请使用团费导入模板填写后重新发送');
  const missing = PAYMENT_COLUMNS.filter((c) => c.required && !header!.columns.has(c.key));
  if (missing.length)
    throw new RosterFormatError(
      `缺少必填列：${missing.map((c) => c.header).join('、')}。请在第 ${header.row.rowNumber} 行（表头）补上，或使用团费导入模板填写`,
    );
  if (!rows.length) throw new RosterFormatError('表格中只有表头，没有交费记录，请在表头下方逐行填写后重新发送');
  return { headerRow: header.row.rowNumber, columns: header.columns, rows, raw };
}
