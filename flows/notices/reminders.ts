/**
 * Scheduled reminders (R21) as people read them, from the data as it stands when they are
 * delivered: one already signed in, one who said 不参加, or one who has paid meanwhile is not
 * told (the renderer returns null and the message is dropped).
 */
import { yuanText } from '../../server/services/fees/money';
import { monthsText } from '../../server/services/fees/months';
import { formatChinaClock } from '../../server/lib/china-datetime';
import { signinState } from '../../server/services/activities/signin';
import { dutiesText } from '../activities/activity-text';
import { button } from '../engine/types';
import { activityLines, responseChoices } from './activities';
import type { NoticeRenderers } from './types';

export const reminderNotices: NoticeRenderers<'activity.eve' | 'activity.signin_open' | 'fee.reminder' | 'admin.monthly'> = {
  async 'activity.eve'(services, notice, to) {
    const subject = await services.notices.activity(notice.activityId);
    const place = subject && to.personId && (await services.activityParticipants.participation(notice.activityId, to.personId));
    if (!subject || !place || place.response === 'declined') return null;
    const ask = place.response === 'invited' ? '还没有报名的，请点击下方按钮报名或告知不参加。' : '请准时参加。';
    const lines = ['【活动提醒】明天有活动：', ...activityLines(subject.activity, subject.orgName), `${ask}到场后发送签到码，或扫描现场的二维码签到。`];
    return { text: lines.join('\n'), choices: place.response === 'invited' ? responseChoices(subject.activity.id) : undefined };
  },
  async 'activity.signin_open'(services, notice, to) {
    const subject = await services.notices.activity(notice.activityId);
    const place = subject && to.personId && (await services.activityParticipants.participation(notice.activityId, to.personId));
    if (!subject || !place || place.signedInAt || place.response === 'declined') return null;
    const state = signinState(subject.activity, services.deps.now());
    if (!state.open) return null;
    // Not the code: it is for those in the room, and the room shows it.
    const until = state.closesAt ? `，${formatChinaClock(state.closesAt)} 结束` : '';
    return { text: `【签到开始】“${subject.activity.title}”已开始签到${until}。到场后请发送现场公布的签到码，或扫描现场的二维码签到。` };
  },
  async 'fee.reminder'(services, _notice, to) {
    const own = to.personId ? await services.fees.own(to.personId) : null;
    if (!own?.ok || !own.statement.owedMonths.length) return null;
    const s = own.statement;
    const owed = s.owedFen === null ? '' : `，共 ${yuanText(s.owedFen)}`;
    return {
      text: `【团费提醒】您尚未交 ${monthsText(s.owedMonths)} 的团费（${s.owedMonths.length} 个月${owed}）。请向所在团支部交纳；发送 /fee 查看明细。`,
      choices: [[button('查看团费', '/fee')]],
    };
  },
  async 'admin.monthly'(services, notice, to) {
    if (!to.personId) return null;
    const now = services.deps.now();
    const view = await services.entryProgress.view(to.personId, notice.orgId).catch(() => null);
    if (!view) return null; // no longer its admin
    const own = view.incomplete.rows.find((r) => r.id === notice.orgId);
    const progress = view.complete === view.total ? '录入进度：已完成。' : `录入进度：未完成${own ? `（${own.reason}）` : ''}，发送 /progress 查看。`;
    const duties = dutiesText(await services.activities.duties(notice.orgId, now));
    return {
      text: [`【每月提醒】${view.org.fullName}`, progress, '', '三会两制一课：', duties].join('\n'),
      choices: [[button('活动列表', '/activities'), button('录入进度', '/progress')]],
    };
  },
};
