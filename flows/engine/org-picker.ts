import type { Organisation } from '../../models/Organisation';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { quoteInput } from '../../server/lib/quote';
import type { Choice, FlowContext, FlowEvent, Reply } from './types';
import { button } from './types';

/** Button value of a picked organisation. */
export const ORG_PREFIX = 'org:';
/** Button value that asks for the whole names (the seed's "hover 2 seconds" on a long name). */
export const SHOW_FULL = 'org-full';

const LABEL_MAX = 14;
/** Searches return at most 8: this many results means there may be more. */
const MANY = 8;

/**
 * A name short enough for a phone screen. Full names share their beginning (共青团某某大学…)
 * and differ at the end, so a long one keeps its end: `…计算机科学（1）班支部`.
 */
export function shortLabel(name: string, max = LABEL_MAX): string {
  const chars = Array.from(name);
  return chars.length <= max ? name : `…${chars.slice(-(max - 1)).join('')}`;
}

/**
 * Search results as one reply: numbered buttons with shortened names, and a 显示全称
 * button; with `full`, the text lists every whole full name with its place in the tree.
 */
export async function orgResultsReply(ctx: FlowContext, orgs: Organisation[], full: boolean): Promise<Reply> {
  const rows: Choice[][] = orgs.map((o, i) => [button(`${i + 1}. ${shortLabel(o.fullName)}`, `${ORG_PREFIX}${o.id}`)]);
  if (!full) {
    rows.push([button('📋 显示全称', SHOW_FULL)]);
    const lines = orgs.map((o, i) => `${i + 1}. ${shortLabel(o.fullName, 24)}（${KIND_LABELS[o.kind]}）`);
    const more = orgs.length >= MANY ? '\n（只显示前几个结果；没有要找的组织时，请输入更完整的名称）' : '';
    return { text: `找到以下组织，请点击选择（名称显示不全时可点“显示全称”）：\n${lines.join('\n')}${more}`, choices: rows };
  }
  const lines: string[] = [];
  for (const [i, o] of orgs.entries()) {
    lines.push(`${i + 1}. ${o.fullName}（${KIND_LABELS[o.kind]}）\n   所在位置：${await ctx.services.organisations.breadcrumb(o)}`);
  }
  return { text: `组织全称：\n${lines.join('\n')}\n请点击按钮选择，或发送其他名称重新搜索。`, choices: rows };
}

/** The organisation id a picker button carries, or null for anything else. */
export function pickedOrgId(event: FlowEvent): number | null {
  if (event.type !== 'choice' || !event.value.startsWith(ORG_PREFIX)) return null;
  const id = Number(event.value.slice(ORG_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** A "nothing found" reply that says what to try. */
export function noResults(query: string): Reply {
  return { text: `没有找到名称包含“${quoteInput(query)}”的组织。请换个关键词（如组织全称中的几个字）再试，或发送 /cancel 取消。` };
}
