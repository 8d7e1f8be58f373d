/**
 * /progress (录入进度, R16-R17): an admin sees, for its subtree, how many organisations of each
 * kind completed entry, which did not and why (a page at a time), a chart of the organisations
 * below, and the whole list as a spreadsheet. Every button names the organisation and is checked
 * again when pressed: a forwarded or forged button shows nothing outside the presser's reach.
 */
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { shortLabel } from '../engine/org-picker';
import { chartCaption, PROGRESS_PREFIX, progressButtons, progressReply } from './progress-text';
import type { Action, Flow, FlowContext, Reply } from '../engine/types';
import { button } from '../engine/types';

const NOT_ADMIN = '只有组织管理员可以查看录入进度。';
const STALE = '这个按钮已失效，请重新发送 /progress。';

async function view(ctx: FlowContext, orgId: number, page: number): Promise<Reply[]> {
  return [progressReply(await ctx.services.entryProgress.view(ctx.actor.personId!, orgId, page))];
}

async function chart(ctx: FlowContext, orgId: number): Promise<Reply[]> {
  const { view: v, png } = await ctx.services.entryProgress.chart(ctx.actor.personId!, orgId);
  if (!png) return [{ text: `“${v.org.fullName}”没有下级组织，不需要图表。` }];
  return [{ text: chartCaption(v), file: { name: `录入进度-${v.org.shortName}.png`, data: png, mime: 'image/png' } }];
}

async function sheet(ctx: FlowContext, orgId: number): Promise<Reply[]> {
  const { channel, chatId, personId } = ctx.actor;
  const made = await ctx.services.entryProgress.export(personId!, orgId, {
    channel,
    chatId,
    dedupeKey: ctx.updateId ? `${channel}:${ctx.updateId}` : undefined,
  });
  if ('file' in made) return [{ text: `录入进度表（共 ${made.orgs} 个组织）。`, file: { ...made.file, mime: XLSX_MIME } }];
  return [
    {
      text: `组织较多（共 ${made.orgs} 个），正在后台生成录入进度表（任务编号 ${made.jobId}）。进度会显示在下一条消息中，生成后会发送给您；这期间可以继续使用其他功能，发送 /jobs 可查看后台任务。`,
    },
  ];
}

/** /progress [组织编号]: one's own organisation, or a choice among several. */
export const progressFlow: Flow = {
  name: 'progress',
  version: 1,
  commands: ['progress'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const asked = args.trim();
    if (asked) {
      const orgId = Number(asked);
      if (!Number.isSafeInteger(orgId) || orgId <= 0)
        return { replies: [{ text: '用法：/progress 查看您管理的组织；/progress 组织编号 查看其中的某个下级组织。' }] };
      return { replies: await view(ctx, orgId, 0) };
    }
    const roots = await ctx.services.entryProgress.rootsOf(ctx.actor.personId!);
    if (!roots.length) return { replies: [{ text: NOT_ADMIN }] };
    if (roots.length === 1) return { replies: await view(ctx, roots[0].id, 0) };
    const choices = roots.map((o) => [button(shortLabel(o.fullName, 20), progressButtons.page(o.id, 0))]);
    return { replies: [{ text: '您管理多个组织，请选择要查看录入进度的组织：', choices }] };
  },
};

/** The buttons: `v:<org>:<page>` a page, `c:<org>` the chart, `x:<org>` the spreadsheet. */
export const progressAction: Action = {
  prefix: PROGRESS_PREFIX,
  privateOnly: true,
  async handle(ctx, payload) {
    const [op, ...rest] = payload.split(':');
    const [orgId, page = 0] = rest.map(Number);
    if (!Number.isSafeInteger(orgId) || orgId <= 0 || !Number.isSafeInteger(page) || page < 0) return [{ text: STALE }];
    if (op === 'v') return view(ctx, orgId, page);
    if (op === 'c') return chart(ctx, orgId);
    if (op === 'x') return sheet(ctx, orgId);
    return [{ text: STALE }];
  },
};
