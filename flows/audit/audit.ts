import type { AuditPage } from '../../server/services/audit/audit-trail';
import { entryText } from './audit-text';
import type { Action, Flow, FlowContext, Reply } from '../engine/types';
import { actionValue, button } from '../engine/types';

const PREFIX = 'audit';

export { addAuditLabels } from './audit-text';

function pageReply(page: AuditPage, first: boolean): Reply {
  if (!page.entries.length) return { text: first ? '您管理的组织及其下级组织暂无操作记录。' : '没有更早的操作记录了。' };
  const text = `【操作记录】（本组织及下级组织，最新在前，北京时间）\n\n${page.entries.map((e) => entryText(e, page)).join('\n\n')}`;
  if (page.nextBefore === null) return { text: `${text}\n\n（已是最早的记录）` };
  return { text, choices: [[button('下一页', actionValue(PREFIX, String(page.nextBefore)))]] };
}

async function show(ctx: FlowContext, before: number | null): Promise<Reply[]> {
  const page = await ctx.services.auditTrail.page(ctx.actor.personId!, before);
  return [pageReply(page, before === null)];
}

/** /audit: the latest audited changes of the organisations one administers and those below, a page (one message) at a time. */
export const auditFlow: Flow = {
  name: 'audit',
  version: 1,
  commands: ['audit'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    return { replies: await show(ctx, null) };
  },
};

/** 下一页: the page before a cursor, always of the presser's own organisations. */
export const auditPageAction: Action = {
  prefix: PREFIX,
  privateOnly: true,
  async handle(ctx, payload) {
    const before = Number(payload);
    if (!Number.isSafeInteger(before) || before <= 0) return [{ text: '这个按钮已失效，请重新发送 /audit。' }];
    return show(ctx, before);
  },
};
