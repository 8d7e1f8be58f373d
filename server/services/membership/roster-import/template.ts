/**
 * The import template (导入模板) that admins download, fill in and send back (R7).
 */
import * as ExcelJS from 'exceljs';
import { COLUMNS, EDUCATION_LEVELS, ROLE_LABELS, type ColumnDef } from './rows/columns';

/** Name of the sheet holding the members. */
export const TEMPLATE_SHEET = '团员信息';
/** Name of the sheet explaining each column. */
export const INSTRUCTIONS_SHEET = '填写说明';

const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const OPTIONAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const RED: Partial<ExcelJS.Font> = { color: { argb: 'FFFF0000' }, bold: true };
const TEXT_FORMAT = '@';
const DATE_FORMAT = 'yyyy-mm-dd';

/** Options of {@link buildTemplate}. */
export interface TemplateOptions {
  /** Row limit of one import, mentioned in the instructions and used for the drop-down ranges. */
  maxRows?: number;
}

function exampleValue(col: ColumnDef): ExcelJS.CellValue {
  if (col.key === 'joinedAt') {
    const [y, m, d] = col.example.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d)); // exceljs writes dates as UTC days
  }
  return col.example === '' ? null : col.example;
}

function addMemberSheet(wb: ExcelJS.Workbook, maxRows: number): void {
  const ws = wb.addWorksheet(TEMPLATE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({
    key: c.key,
    width: c.key === 'branchFullName' ? 44 : c.key === 'idNumber' ? 22 : 14,
    // Text, so Excel keeps all 18 digits of an ID number and the leading digits of a phone.
    style: c.key === 'idNumber' || c.key === 'phone' ? { numFmt: TEXT_FORMAT } : c.key === 'joinedAt' ? { numFmt: DATE_FORMAT } : {},
  }));
  const header = ws.getRow(1);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.required
      ? {
          richText: [
            { text: c.header, font: { bold: true } },
            { text: '*', font: RED },
          ],
        }
      : c.header;
    cell.font = { bold: true };
    cell.fill = c.required ? REQUIRED_FILL : OPTIONAL_FILL;
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.note = c.explanation;
  });
  const example = ws.getRow(2);
  COLUMNS.forEach((c, i) => {
    const cell = example.getCell(i + 1);
    cell.value = exampleValue(c);
    if (c.key === 'idNumber' || c.key === 'phone') cell.numFmt = TEXT_FORMAT;
    if (c.key === 'joinedAt') cell.numFmt = DATE_FORMAT;
  });
  example.getCell(1).note = '示例行：请改成真实信息或删除后再导入';
  const lastRow = maxRows + 1;
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  const list = (key: string, values: readonly string[], prompt: string) => {
    const col = COLUMNS.findIndex((c) => c.key === key) + 1;
    const letter = ws.getColumn(col).letter;
    validations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${values.join(',')}"`],
      showErrorMessage: true,
      errorTitle: '请从列表中选择',
      error: prompt,
    });
  };
  list('role', Object.values(ROLE_LABELS), '请填“团员”或“团干部”');
  list('education', EDUCATION_LEVELS, `请填：${EDUCATION_LEVELS.join('、')}`);
}

function addInstructionsSheet(wb: ExcelJS.Workbook, maxRows: number): void {
  const ws = wb.addWorksheet(INSTRUCTIONS_SHEET);
  ws.columns = [{ width: 14 }, { width: 10 }, { width: 70 }, { width: 44 }];
  const notes = [
    '团员信息导入说明',
    `1. 在“${TEMPLATE_SHEET}”工作表中从第 2 行起每行填写一人，第 1 行表头请勿修改；第 2 行是示例，导入前请改成真实信息或删除。`,
    '2. 带 * 的列必须填写；列的顺序可以调整，不用的列可以删除（必填列除外）。',
    '3. “身份证号码”列须为“文本”格式（模板已设置）；从别处粘贴时请选择“只粘贴值”，否则 Excel 会把号码变成数字并丢失后几位。',
    `4. 每次最多导入 ${maxRows} 行，超过请拆分成多个文件分批导入。也可以“另存为 → CSV UTF-8（逗号分隔）”后发送。`,
    '5. 有错误时系统会退回原表，最后一列“错误信息”说明每行的问题，出错的单元格标为红色；改正后可直接重新发送该表。',
  ];
  notes.forEach((text, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = text;
    if (i === 0) row.getCell(1).font = { bold: true, size: 14 };
  });
  const top = notes.length + 2;
  const head = ws.getRow(top);
  ['列名', '是否必填', '填写说明', '示例'].forEach((h, i) => {
    head.getCell(i + 1).value = h;
    head.getCell(i + 1).font = { bold: true };
    head.getCell(i + 1).fill = OPTIONAL_FILL;
  });
  COLUMNS.forEach((c, i) => {
    const row = ws.getRow(top + 1 + i);
    row.values = [c.header, c.required ? '必填' : '选填', c.explanation, c.example || '（可不填）'];
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
  });
}

/**
 * Builds the .xlsx template: sheet 团员信息 (headers, required ones marked `*`, one valid
 * example row, ID-number column as text) and sheet 填写说明 (what goes in each column).
 * @example const file = await buildTemplate({ maxRows: 5000 }); // send as 团员信息导入模板.xlsx
 */
export async function buildTemplate(opts: TemplateOptions = {}): Promise<Buffer> {
  const maxRows = opts.maxRows ?? 5000;
  const wb = new ExcelJS.Workbook();
  wb.creator = '智慧团建';
  addMemberSheet(wb, maxRows);
  addInstructionsSheet(wb, maxRows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
