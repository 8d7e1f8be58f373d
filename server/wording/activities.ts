/**
 * What a person reads after trying to sign in, in the words both the chat (flows/activities/signin.ts)
 * and the web app (POST /api/signin) answer with: one text, so the two never say it differently.
 */
import { formatChinaDateTime } from '../lib/china-datetime';
import { waitText } from '../services/platform/rate-limits';
import { ACTIVITY_KIND_LABELS } from '../services/activities/activity-kinds';
import { MAX_PARTICIPANTS } from '../services/activities/activity-participants';
import type { SigninAttempt } from '../services/activities/signin';

/** What a person reads after trying to sign in (活动签到, R19). */
export function attemptText(a: SigninAttempt): string {
  switch (a.kind) {
    case 'unknown':
      return '签到码不正确或已过期。请核对现场公布的 6 位签到码后重新发送，或扫描现场的二维码签到。';
    case 'limited':
      return `签到码输错次数过多，请 ${waitText(a.waitMs)}后再试。也可以扫描现场的二维码签到。`;
    case 'signed':
      return [
        `✅ 签到成功！`,
        `${ACTIVITY_KIND_LABELS[a.activity.kind]}：${a.activity.title}`,
        `签到时间：${formatChinaDateTime(a.at)}`,
        ...(a.walkIn ? ['（您不在预先选定的名单中，已按现场签到记录）'] : []),
      ].join('\n');
    case 'already':
      return `您已签到（${formatChinaDateTime(a.at)}），无需重复签到。`;
    case 'early':
      return `“${a.activity.title}”的签到尚未开始，将于 ${formatChinaDateTime(a.opensAt)} 开始，请到时再签到。`;
    case 'over':
      return `“${a.activity.title}”的签到已结束。如您确实到场，请联系活动组织者。`;
    case 'not-participant':
      return `您不在“${a.activity.title}”的参加人员名单中，不能签到。如需参加，请联系活动组织者把您加入名单。`;
    case 'full':
      return `“${a.activity.title}”的参加人数已达上限（${MAX_PARTICIPANTS} 人），不能再现场签到。请联系活动组织者。`;
  }
}
