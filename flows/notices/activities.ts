/** Activities (R18, R19) in participants' chats: what they read of one, 报名 / 不参加, and the notices. */
import type { Activity } from '../../models';
import { ACTIVITY_KIND_LABELS } from '../../server/services/activities/activity-kinds';
import { formatChinaDateTime } from '../../server/lib/china-datetime';
import type { ActivityField } from '../../server/services/messaging/notices';
import type { Choice } from '../engine/types';
import type { NoticeRenderers } from './types';

/** Action prefix of a participant's buttons: `!act:r:<id>` 报名, `!act:d:<id>` 不参加 (handled in flows/activities/signin.ts). */
export const ACTIVITY_ACTION = 'act';

const FIELD_LABELS: Record<ActivityField, string> = { startsAt: '开始时间', endsAt: '结束时间', place: '地点' };

/** The 报名 / 不参加 buttons of one activity. */
export function responseChoices(activityId: number): Choice[][] {
  return [
    [
      { label: '报名', value: `!${ACTIVITY_ACTION}:r:${activityId}` },
      { label: '不参加', value: `!${ACTIVITY_ACTION}:d:${activityId}` },
    ],
  ];
}

/** What a participant reads of an activity: kind and title, time, place, organiser. */
export function activityLines(activity: Activity, orgName: string): string[] {
  return [
    `${ACTIVITY_KIND_LABELS[activity.kind]}：${activity.title}`,
    `组织：${orgName}`,
    `时间：${formatChinaDateTime(activity.startsAt)} 至 ${formatChinaDateTime(activity.endsAt)}`,
    ...(activity.place ? [`地点：${activity.place}`] : []),
    ...(activity.organiser ? [`组织者：${activity.organiser}`] : []),
  ];
}

export const activityNotices: NoticeRenderers<'activity.invitation' | 'activity.changed'> = {
  /** The invitation a participant gets (活动登记, R19). */
  async 'activity.invitation'(services, notice) {
    const subject = await services.notices.activity(notice.activityId);
    if (!subject) return null;
    const lines = [
      '【活动通知】',
      ...activityLines(subject.activity, subject.orgName),
      '请点击下方按钮报名或告知不参加。到场后发送签到码，或扫描现场的二维码签到。',
    ];
    return { text: lines.join('\n'), choices: responseChoices(subject.activity.id) };
  },
  /** A participant already told is told again when the time or the place changes. */
  async 'activity.changed'(services, notice) {
    const subject = await services.notices.activity(notice.activityId);
    if (!subject) return null;
    const changed = notice.fields.map((f) => FIELD_LABELS[f]).join('、');
    const lines = [`【活动变更】${changed}有变化，以此为准：`, ...activityLines(subject.activity, subject.orgName)];
    return { text: lines.join('\n'), choices: responseChoices(subject.activity.id) };
  },
};
