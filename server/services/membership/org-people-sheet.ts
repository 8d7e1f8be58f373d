/**
 * The people list of an organisation as a spreadsheet (导出名单): the same people the list shows
 * for a filter, every page, ID numbers masked as everywhere. Written with exceljs' streaming
 * writer, so 50,000 rows never sit in memory as cell objects.
 */
import type * as ExcelJS from 'exceljs';
import { formatChinaTime } from '../../lib/china-datetime';
import { yuanNumber } from '../fees/money';
import { monthsText } from '../fees/months';
import type { MemberFees } from '../fees/reports';
import type { OrgPerson } from './org-person';
import { PERSON_ROLE_LABELS, VERIFICATION_LABELS } from './person-labels';
import { streamedWorkbook } from '../../lib/streamed-workbook';

/** Rows one export takes at most: past it the admin is asked to export an organisation lower down. */
export const PEOPLE_EXPORT_MAX = 50_000;

/** What can be exported: the list's filters, the owing list (R20) among them. */
export type PeopleSheetFilter = 'all' | 'incomplete' | 'unverified' | 'owing';

/** The filters' names in titles and file names. */
export const PEOPLE_FILTER_LABELS: Record<PeopleSheetFilter, string> = {
  all: '全部人员',
  incomplete: '信息不完整',
  unverified: '未通过认证',
  owing: '欠交团费',
};

/** The header of the people sheet and of the owing sheet, left to right. */
export const PEOPLE_SHEET_HEADER = ['姓名', '身份证号（已隐去）', '身份', '所在团支部', '认证状态', '缺少的信息'];
export const OWING_SHEET_HEADER = ['姓名', '身份证号（已隐去）', '所在团支部', '欠交月数', '欠交月份', '欠交金额（元）'];
const PEOPLE_WIDTHS = [12, 22, 12, 44, 24, 40];
const OWING_WIDTHS = [12, 22, 44, 10, 28, 14];
const SHEET_NAME = '人员名单';

/** The file's name, and one in ASCII for clients that cannot read the other (`people-<org id>-<filter>-<date>.xlsx`). */
export function peopleSheetNames(org: { id: number; shortName: string }, filter: PeopleSheetFilter, at: Date): { name: string; ascii: string } {
  const date = formatChinaTime(at).slice(0, 10).replace(/-/g, '');
  const name = filter === 'owing' ? `欠交名单-${org.shortName}-${date}.xlsx` : `人员名单-${org.shortName}-${PEOPLE_FILTER_LABELS[filter]}-${date}.xlsx`;
  return { name: name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_'), ascii: `people-${org.id}-${filter}-${date}.xlsx` };
}

/** Writes rows to a one-sheet workbook as they come, header frozen on top. */
async function streamSheet<T>(
  header: string[],
  widths: number[],
  rows: AsyncIterable<T> | Iterable<T>,
  cells: (row: T) => ExcelJS.CellValue[],
  numFmts: Record<number, string> = {},
): Promise<Buffer> {
  const { wb, done } = streamedWorkbook();
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  widths.forEach((width, i) => (ws.getColumn(i + 1).width = width));
  const head = ws.addRow(header);
  head.font = { bold: true };
  head.commit();
  for await (const row of rows) {
    const r = ws.addRow(cells(row));
    for (const [col, numFmt] of Object.entries(numFmts)) r.getCell(Number(col)).numFmt = numFmt;
    r.commit();
  }
  ws.commit();
  return done();
}

/** People as the list shows them: masked ID number, role, branch, verification state (with why it failed), missing fields (R16). */
export function peopleSheet(people: AsyncIterable<OrgPerson> | Iterable<OrgPerson>): Promise<Buffer> {
  return streamSheet(PEOPLE_SHEET_HEADER, PEOPLE_WIDTHS, people, (p) => [
    p.name,
    p.idMasked,
    PERSON_ROLE_LABELS[p.role] ?? p.role,
    p.branchName ?? '',
    p.verificationState === 'failed' && p.verificationReason
      ? `${VERIFICATION_LABELS.failed}（${p.verificationReason}）`
      : VERIFICATION_LABELS[p.verificationState],
    p.missing.length ? p.missing.join('、') : '无',
  ]);
}

/** Members who owe, most owed first, as the owing list shows them; an amount not known (no category set) says so. */
export function owingSheet(members: MemberFees[]): Promise<Buffer> {
  return streamSheet(
    OWING_SHEET_HEADER,
    OWING_WIDTHS,
    members,
    ({ payer, statement: s }) => [
      payer.name,
      payer.idMasked,
      payer.branchName,
      s.owedMonths.length,
      monthsText(s.owedMonths),
      s.owedFen === null ? '未知（未设置团费类别）' : yuanNumber(s.owedFen),
    ],
    { 6: '0.00' },
  );
}
