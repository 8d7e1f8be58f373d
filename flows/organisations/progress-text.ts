/** What `/progress` says: the counts by kind, a page of incomplete organisations with why, and its buttons. */
import { PROGRESS_PAGE_SIZE, type ProgressView } from '../../server/services/organisations/entry-progress/entry-progress';
import { formatChinaTime } from '../../server/lib/china-datetime';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import type { Choice, Reply } from '../engine/types';
import { actionValue, button } from '../engine/types';

/** The prefix of every `/progress` button. */
export const PROGRESS_PREFIX = 'progress';

/** Button values: a page of a subtree, its chart, its spreadsheet. */
export const progressButtons = {
  page: (orgId: number, page: number) => actionValue(PROGRESS_PREFIX, `v:${orgId}:${page}`),
  chart: (orgId: number) => actionValue(PROGRESS_PREFIX, `c:${orgId}`),
  sheet: (orgId: number) => actionValue(PROGRESS_PREFIX, `x:${orgId}`),
};

const share = (done: number, total: number) => (total ? `${Math.round((done / total) * 1000) / 10}%` : '0%');

/** The view as one message with its buttons. */
export function progressReply(view: ProgressView): Reply {
  const { org, incomplete } = view;
  const lines = [
    `【录入进度】${org.fullName}`,
    `统计时间：${formatChinaTime(view.at)}（北京时间），含本组织及全部下级组织`,
    `共 ${view.total} 个组织，已完成录入 ${view.complete} 个（${share(view.complete, view.total)}），未完成 ${view.total - view.complete} 个。`,
    '',
    '按组织类别：',
    ...view.kinds.map((k) => `· ${KIND_LABELS[k.kind]}：已完成 ${k.complete} 个，未完成 ${k.incomplete} 个`),
    '',
  ];
  if (!incomplete.total) lines.push('所有组织均已完成录入。');
  else {
    lines.push(`未完成的组织及原因（第 ${incomplete.page + 1}/${incomplete.pages} 页，共 ${incomplete.total} 个）：`);
    const first = incomplete.page * PROGRESS_PAGE_SIZE + 1;
    incomplete.rows.forEach((r, i) => lines.push(`${first + i}. ${r.fullName}（${KIND_LABELS[r.kind]}）：${r.reason}`));
  }
  const paging: Choice[] = [];
  if (incomplete.page > 0) paging.push(button('⬅️ 上一页', progressButtons.page(org.id, incomplete.page - 1)));
  if (incomplete.page + 1 < incomplete.pages) paging.push(button('下一页 ➡️', progressButtons.page(org.id, incomplete.page + 1)));
  const tools: Choice[] = [];
  if (view.children.length) tools.push(button('📊 图表', progressButtons.chart(org.id)));
  tools.push(button('📥 导出表格', progressButtons.sheet(org.id)));
  return { text: lines.join('\n'), choices: paging.length ? [paging, tools] : [tools] };
}

/** The caption of the chart. */
export function chartCaption(view: ProgressView): string {
  return `${view.org.fullName}：各下级组织（含其下级）的录入完成比例，按完成率由低到高。`;
}
