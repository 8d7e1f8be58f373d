/** An admin's announcement (通知, R21) as its recipients read it. */
import { formatChinaTime } from '../../server/lib/china-datetime';
import type { Reply } from '../engine/types';
import type { NoticeRenderers } from './types';

/** Announcements never change: a broadcast renders each once a minute, not once a recipient. */
const CACHE_MS = 60_000;
const cache = new Map<number, { reply: Reply; at: number }>();

/** The message recipients get (the admin's preview shows the same). */
export function announcementText(orgName: string, text: string, authorName: string, at: Date): string {
  return `【通知】${orgName}\n\n${text}\n\n—— ${authorName ? `${authorName}，` : ''}${formatChinaTime(at)}`;
}

export const announcementNotices: NoticeRenderers<'announcement'> = {
  async announcement(services, notice) {
    const hit = cache.get(notice.announcementId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.reply;
    const subject = await services.notices.announcement(notice.announcementId);
    if (!subject) return null;
    const { announcement, orgName, authorName } = subject;
    const reply = { text: announcementText(orgName, announcement.text, authorName, announcement.createdAt) };
    if (cache.size > 100) cache.clear();
    cache.set(notice.announcementId, { reply, at: Date.now() });
    return reply;
  },
};
