/**
 * The header row of a member spreadsheet: which template column each header names, and what
 * to say when it cannot be used (a required column missing, a column twice, no header at all),
 * naming the headers that could not be read.
 */
import { cellText, columnLetter } from './cells';
import { COLUMNS, columnByKey, matchHeader, normaliseHeader, type ColumnDef, type ColumnKey } from '../rows/columns';
import { matchPaymentHeader } from '../../../fees/payments/columns';
import { editDistance } from '../rows/edit-distance';
import { RosterFormatError } from '../format-error';
import type { RawRow, SheetInfo } from './sheet-rows';

/** Where each template column is: key → 1-based column number in the sheet. */
export type HeaderMap = Map<ColumnKey, number>;

/** The header row as found. */
export interface RosterHeader {
  rowNumber: number;
  columns: HeaderMap;
  /** Headers of columns the import does not use (they are ignored). */
  ignored: string[];
  /** The worksheet it is on (an .xlsx may hold the roster on another sheet than the first). */
  sheet?: SheetInfo;
}

const TEMPLATE_HEADERS = COLUMNS.map((c) => c.header).join('、');

/** A header that names `col` with a slip (`身份正号码`) or words around it (`公民身份证号`), for a hint. */
function looksLike(text: string, col: ColumnDef): boolean {
  const typed = normaliseHeader(text);
  if (typed.length < 2) return false;
  return [col.header, ...col.aliases].some((name) => {
    const known = normaliseHeader(name);
    return typed.includes(known) || known.includes(typed) || editDistance(typed, known, 2) <= (known.length > 4 ? 2 : 1);
  });
}

/** `“证件号”（B 列）` for each header cell of `row` that names no column, with a guess among `wanted` when one fits. */
function unreadableHeaders(row: RawRow, wanted: readonly ColumnDef[]): string[] {
  const out: string[] = [];
  row.values.forEach((value, i) => {
    if (value === null) return;
    const text = cellText(value);
    if (matchHeader(text)) return;
    const guess = wanted.find((c) => looksLike(text, c));
    const shown = Array.from(text).length > 20 ? `${Array.from(text).slice(0, 20).join('')}…` : text;
    out.push(`“${shown}”（${columnLetter(i + 1)} 列${guess ? `，是否为“${guess.header}”？` : ''}）`);
  });
  return out;
}

/** A fee payment sheet (团费交纳表) sent as a member list: it is the other import the admin meant. */
const PAYMENT_SHEET_SENT =
  '这是团费交纳表（有“交费月份”和“金额”列），不是团员名单。登记交费请先发送 /fee_import，再发送这个文件；导入团员请使用团员名单模板（/template）。';

/** True when the row names a payment sheet's months and amount columns. */
function isPaymentHeader(row: RawRow): boolean {
  const keys = new Set(row.values.map((v) => (v === null ? undefined : matchPaymentHeader(cellText(v)))));
  return keys.has('months') && keys.has('amount');
}

/** The error for a worksheet whose first rows name none of the template's columns. */
export function noHeaderError(row: RawRow): RosterFormatError {
  const read = unreadableHeaders(row, COLUMNS).slice(0, 6);
  const seen = read.length > 0 ? `，读到的是：${read.join('、')}` : '';
  return new RosterFormatError(`第 ${row.rowNumber} 行应为表头（${TEMPLATE_HEADERS}），但没有找到这些列名${seen}。请使用导入模板填写`);
}

/** The error for a workbook none of whose worksheets has the header. */
export function noHeaderInSheetsError(names: readonly string[]): RosterFormatError {
  return new RosterFormatError(
    `在工作表${names.map((n) => `“${n}”`).join('')}中都没有找到表头（${TEMPLATE_HEADERS}）。请把团员名单放在一个工作表中、表头写在第一行，或使用导入模板填写`,
  );
}

/**
 * Maps a header row to template columns. Throws {@link RosterFormatError} when required
 * columns are missing (listing them, and the headers that could not be read) or a column
 * appears twice.
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
  const missing = COLUMNS.filter((c) => c.required && !columns.has(c.key));
  if (columns.size === 0) throw noHeaderError(row);
  if (missing.length > 0 && isPaymentHeader(row)) throw new RosterFormatError(PAYMENT_SHEET_SENT);
  if (missing.length > 0) {
    const names = missing.map((c) => c.header).join('、');
    const unreadable = unreadableHeaders(row, missing);
    if (unreadable.length === 0) {
      throw new RosterFormatError(`缺少必填列：${names}。请在第 ${row.rowNumber} 行（表头）补上这些列，或使用导入模板填写`);
    }
    throw new RosterFormatError(
      `缺少必填列：${names}。第 ${row.rowNumber} 行（表头）中无法识别的列名：${unreadable.join('、')}。请改用模板中的列名，或使用导入模板填写`,
    );
  }
  return { rowNumber: row.rowNumber, columns, ignored };
}
