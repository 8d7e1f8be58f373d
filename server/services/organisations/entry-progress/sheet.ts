/**
 * The entry-progress spreadsheet: every organisation of a subtree, one row each, with the
 * people it counts, whether it is complete and why not (R17). Written with exceljs' streaming
 * writer, so a whole tree of 100,000 rows never sits in memory as cell objects.
 */
import { formatChinaTime } from '../../../lib/china-datetime';
import { KIND_LABELS } from '../organisations';
import { REQUIRED_PERSON_FIELDS } from '../../membership/person-fields';
import type { OrgProgress, ProgressOrg } from './view';
import { MIN_PEOPLE } from './rules';
import { streamedWorkbook } from '../../../lib/streamed-workbook';

/** The columns, left to right. */
export const PROGRESS_SHEET_HEADER = ['序号', '组织全称', '组织类别', '计入人数', '信息不完整的团员', '信息不完整的团干部', '是否完成录入', '未完成原因'];
/** Rows above the header: title, when and how many, the rule. */
export const PROGRESS_SHEET_HEADER_ROW = 4;
const WIDTHS = [8, 48, 14, 10, 16, 18, 14, 36];
const PROGRESS_EVERY = 5000;

/** R17 in one sentence, from the same numbers and fields the count uses. */
export function completionRuleText(): string {
  const fields = REQUIRED_PERSON_FIELDS.map((f) => f.label).join('、');
  return (
    `完成录入的标准：团支部至少 ${MIN_PEOPLE.branch} 名团员或团干部；团委、团工委、团总支至少 ${MIN_PEOPLE.committee} 名团干部；` +
    `团的领导机关至少 ${MIN_PEOPLE.leading_body} 名团干部；且他们的必填信息（${fields}）均已填写。` +
    '计入人数：团支部为组织关系在本支部的团员、团干部及在本支部任职的人，其他组织为在本组织任职的团干部，每人只计一次。'
  );
}

/** The file's name: `录入进度-<short name>-<date>.xlsx`. */
export function progressSheetName(org: ProgressOrg, at: Date): string {
  return `录入进度-${org.shortName}-${formatChinaTime(at).slice(0, 10).replace(/-/g, '')}.xlsx`;
}

/** Builds the spreadsheet; `onProgress(done, total)` every few thousand rows. */
export async function progressSheet(org: ProgressOrg, rows: OrgProgress[], at: Date, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  const { wb, done } = streamedWorkbook();
  const ws = wb.addWorksheet('录入进度', { views: [{ state: 'frozen', ySplit: PROGRESS_SHEET_HEADER_ROW }] });
  WIDTHS.forEach((width, i) => (ws.getColumn(i + 1).width = width));
  const complete = rows.filter((r) => r.complete).length;
  const title = ws.addRow([`${org.fullName} 录入进度`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  ws.addRow([
    `统计时间：${formatChinaTime(at)}（北京时间）　共 ${rows.length} 个组织，已完成录入 ${complete} 个，未完成 ${rows.length - complete} 个`,
  ]).commit();
  ws.addRow([completionRuleText()]).commit();
  const header = ws.addRow(PROGRESS_SHEET_HEADER);
  header.font = { bold: true };
  header.commit();
  for (const [i, r] of rows.entries()) {
    const row = ws.addRow([
      i + 1,
      r.fullName,
      KIND_LABELS[r.kind],
      r.count.people,
      r.count.incompleteMembers,
      r.count.incompleteCadres,
      r.complete ? '是' : '否',
      r.reason,
    ]);
    if (!r.complete) row.getCell(7).font = { color: { argb: 'FF9C0006' } };
    row.commit();
    if (onProgress && (i + 1) % PROGRESS_EVERY === 0) onProgress(i + 1, rows.length);
  }
  ws.commit();
  const file = await done();
  onProgress?.(rows.length, rows.length);
  return file;
}
