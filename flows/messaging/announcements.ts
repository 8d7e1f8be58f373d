import { ANNOUNCEMENT_ACTION, progressReply, progressText } from './announcement-text';
import type { Action, Flow } from '../engine/types';
import { actionValue, button } from '../engine/types';

/** /announcements: the latest announcements of the admin's organisations and those below, with where each stands. */
export const announcementsFlow: Flow = {
  name: 'announcements',
  version: 1,
  commands: ['announcements'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    if (!(await ctx.services.admins.isAdmin(ctx.actor.personId!))) return { replies: [{ text: '只有组织管理员可以查看通知的发送情况。' }] };
    const list = await ctx.services.announcements.listFor(ctx.actor.personId!);
    if (!list.length) return { replies: [{ text: '还没有发布过通知。发送 /announce 发布一条。' }] };
    const choices = list.map((p) => [button(`编号 ${p.announcement.id} 的发送情况`, actionValue(ANNOUNCEMENT_ACTION, `s:${p.announcement.id}`))]);
    return { replies: [{ text: `最近的通知（共 ${list.length} 条，最新的在前）：\n\n${list.map(progressText).join('\n\n')}`, choices }] };
  },
};

/** `!ann:s:<id>`: where one announcement stands, refreshed; only its organisation's admins (and those above) see it. */
export const announcementAction: Action = {
  prefix: ANNOUNCEMENT_ACTION,
  privateOnly: true,
  async handle(ctx, payload) {
    const [what, rawId, ...rest] = payload.split(':');
    const id = Number(rawId);
    if (what !== 's' || rest.length || !Number.isSafeInteger(id) || id <= 0) return [{ text: '这个按钮已失效。发送 /announcements 查看通知的发送情况。' }];
    return [progressReply(await ctx.services.announcements.progress(ctx.actor.personId!, id))];
  },
};
