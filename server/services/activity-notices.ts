import type { Activity } from '../../models';
import { ACTIVITY_KIND_LABELS } from './activity-kinds';
import { formatChinaDateTime } from './china-datetime';
import type { OutgoingMessage } from './outbox';

/** Action prefix of a participant's buttons: `!act:r:<id>` 报名, `!act:d:<id>` 不参加; the flows layer handles them. */
export const ACTIVITY_ACTION = 'act';

/** The 报名 / 不参加 buttons of one activity. */
export function responseChoices(activityId: number): NonNullable<OutgoingMessage['choices']> {
  return [[{ label: '报名', value: `!${ACTIVITY_ACTION}:r:${activityId}` }, { label: '不参加', value: `!${ACTIVITY_ACTION}:d:${activityId}` }]];
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

/** The invitation a participant gets (活动登记, R19). */
export function invitationNotice(activity: Activity, orgName: string): OutgoingMessage {
  const lines = ['【活动通知】', ...activityLines(activity, orgName), '请点击下方按钮报名或告知不参加。到场后发送签到码，或扫描现场的二维码签到。'];
  return { text: lines.join('\n'), choices: responseChoices(activity.id) };
}

/** A participant already told is told again when the time or the place changes. */
export function changeNotice(activity: Activity, orgName: string, changed: string[]): OutgoingMessage {
  const lines = [`【活动变更】${changed.join('、')}有变化，以此为准：`, ...activityLines(activity, orgName)];
  return { text: lines.join('\n'), choices: responseChoices(activity.id) };
}
