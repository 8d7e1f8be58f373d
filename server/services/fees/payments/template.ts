/** The fee payment template (团费交纳导入模板) admins download, fill in and send back. */
import * as ExcelJS from 'exceljs';
import { PAYMENT_COLUMNS } from './columns';

/** Name of the sheet holding the payments. */
export const PAYMENT_SHEET = '团费交纳';

const TEXT = '@';
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const OPTIONAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };

/**
 * Builds the template: sheet 团费交纳 (headers, one example row; ID numbers and months as
 * text, so Excel turns neither into a number or a date) and sheet 填写说明.
 */
export async function buildPaymentTemplate(maxRows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '智慧团建';
  const ws = wb.addWorksheet(PAYMENT_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = PAYMENT_COLUMNS.map((c) => ({
    width: c.key === 'idNumber' ? 22 : c.key === 'months' ? 20 : c.key === 'note' ? 30 : 12,
    style: c.key === 'idNumber' || c.key === 'months' ? { numFmt: TEXT } : {},
  }));
  PAYMENT_COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    cell.value = c.required ? `${c.header}*` : c.header;
    cell.font = { bold: true };
    cell.fill = c.required ? REQUIRED_FILL : OPTIONAL_FILL;
    cell.note = c.explanation;
    const example = ws.getRow(2).getCell(i + 1);
    example.value = c.example === '' ? null : c.key === 'amount' ? Number(c.example) : c.example;
  });
  ws.getRow(2).getCell(1).note = '示例行：请改成真实信息或删除后再导入';

  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 14 }, { width: 10 }, { width: 70 }, { width: 24 }];
  const notes = [
    '团费交纳导入说明',
    `1. 在“${PAYMENT_SHEET}”工作表中从第 2 行起每行填写一笔交费，第 1 行表头请勿修改；第 2 行是示例，导入前请改成真实信息或删除。`,
    `2. 带 * 的列必须填写。每次最多 ${maxRows} 行。`,
    '3. 一行只能是同一年内的月份；跨年交纳请分成两行（如 2025-11至2025-12 和 2026-01至2026-02）。',
    '4. 已交过的月份不能再登记；原记录有误时，请先在聊天中冲正原记录。',
    '5. 全部正确才会写入；有错误时会退回原表，最后一列“错误信息”说明每行的问题，改正后重新发送即可。',
  ];
  notes.forEach((text, i) => {
    help.getRow(i + 1).getCell(1).value = text;
    if (i === 0) help.getRow(1).getCell(1).font = { bold: true, size: 14 };
  });
  const top = notes.length + 2;
  help.getRow(top).values = ['列名', '是否必填', '填写说明', '示例'];
  help.getRow(top).font = { bold: true };
  PAYMENT_COLUMNS.forEach((c, i) => {
    help.getRow(top + 1 + i).values = [c.header, c.required ? '必填' : '选填', c.explanation, c.example || '（可不填）'];
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
