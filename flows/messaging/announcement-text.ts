/** Announcements as their admin reads them: who they are for, and where their delivery stands. */
import type { AnnouncementAudience } from '../../models/Announcement';
import type { OrgKind } from '../../models/Organisation';
import type { AnnouncementProgress } from '../../server/services/messaging/announcements';
import { formatChinaTime } from '../../server/lib/china-datetime';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { describeQuietHours } from '../../server/services/messaging/quiet-hours';
import type { Choice, Reply } from '../engine/types';
import { actionValue, button } from '../engine/types';

/** Prefix of the announcement buttons: `!ann:s:<id>` shows (and refreshes) where one stands. */
export const ANNOUNCEMENT_ACTION = 'ann';

export const AUDIENCE_LABELS: Record<AnnouncementAudience, string> = { all: '全体团员和团干部', cadres: '仅团干部' };

/** `全体团员和团干部（仅团支部）` */
export function audienceText(audience: AnnouncementAudience, orgKind: OrgKind | null): string {
  return `${AUDIENCE_LABELS[audience]}（${orgKind ? `仅${KIND_LABELS[orgKind]}` : '所有下级组织'}）`;
}

export const progressButton = (id: number): Choice[][] => [[button('🔄 查看发送情况', actionValue(ANNOUNCEMENT_ACTION, `s:${id}`))]];

/** The first line of a text, cut to `max` characters. */
function excerpt(text: string, max = 30): string {
  const first = text.split('\n')[0];
  const chars = Array.from(first);
  return chars.length > max || first !== text ? `${chars.slice(0, max).join('')}…` : first;
}

/** Where one announcement stands: its recipients, queued in the background, and its messages by status. */
export function progressText({ announcement: a, orgName, counts, heldBy }: AnnouncementProgress): string {
  const lines = [
    `【通知】编号 ${a.id}　${formatChinaTime(a.createdAt)}`,
    `范围：${orgName} 及其下级组织`,
    `对象：${audienceText(a.audience, a.orgKind)}`,
    `内容：${excerpt(a.text)}`,
  ];
  if (a.status === 'enqueuing')
    lines.push(`共 ${a.recipients} 人，正在后台排队：已处理 ${a.enqueued} 人（${Math.floor((a.enqueued / Math.max(1, a.recipients)) * 100)}%）`);
  else lines.push(`共 ${a.enqueued} 人：${a.reached} 人已登录可送达（${a.messages} 条消息），${a.enqueued - a.reached} 人未登录，无法送达`);
  const failed = counts.failed + counts.dropped;
  lines.push(`已发送 ${counts.sent}，待发送 ${counts.pending}，已屏蔽机器人 ${counts.blocked}，失败 ${failed}`);
  if (a.status === 'queued' && !counts.pending) lines.push('✅ 发送已完成。');
  if (heldBy) lines.push(`（现为免打扰时段 ${describeQuietHours(heldBy)}，待发送的消息将在免打扰时段结束后送出）`);
  return lines.join('\n');
}

/** The progress as a reply with a refresh button. */
export function progressReply(p: AnnouncementProgress): Reply {
  return { text: progressText(p), choices: progressButton(p.announcement.id) };
}
