/**
 * Activities as an organiser reads them in chat: the card with what to do next, the list
 * lines, the duties of the month and quarter, and the attendance list.
 */
import type { Activity } from '../../models';
import type { SigninMode } from '../../models/Activity';
import { ACTIVITY_KIND_LABELS, type ActivityOfOrg, type Duty } from '../../server/services/activities/activities';
import { activityLines } from '../notices/activities';
import { type Attendance, MARK_LABELS, RESPONSE_LABELS } from '../../server/services/activities/attendance';
import { formatChinaClock, formatChinaDateTime } from '../../server/lib/china-datetime';
import { SIGNIN_MODE_LABELS, type SigninCounts, signinState, signinWindow } from '../../server/services/activities/signin';
import type { Choice, Reply } from '../engine/types';
import { actionValue, button } from '../engine/types';

/** Prefix of the organiser's buttons on a card (`!av:<what>:<id>`), handled in activities.ts. */
export const ORGANISER_ACTION = 'av';
export const organiserButton = (label: string, what: string, id: number): Choice => button(label, actionValue(ORGANISER_ACTION, `${what}:${id}`));

/** How many names the chat list shows per group; the spreadsheet has everyone. */
const NAMES_SHOWN = 60;

/** `签到：12月5日 13:45 至 14:30（按签到时间自动开启和结束）` */
export function signinLine(a: Activity, now: Date): string {
  const state = signinState(a, now);
  const { opensAt, closesAt } = signinWindow(a);
  const window = `${formatChinaDateTime(opensAt)} 至 ${formatChinaClock(closesAt)}`;
  const status = state.open ? '进行中' : state.reason === 'early' ? '未开始' : '已结束';
  return `签到：${status}（${a.signinMode === 'auto' ? `签到时间 ${window}` : SIGNIN_MODE_LABELS[a.signinMode as SigninMode]}${a.allowWalkIns ? '，允许现场签到' : ''}）`;
}

/** The organiser's card of one activity: what it is, who takes part, and the next steps as buttons. */
export function activityCard({ activity, orgName }: ActivityOfOrg, counts: SigninCounts, now: Date): Reply {
  const lines = [`【活动】编号 ${activity.id}`, ...activityLines(activity, orgName)];
  if (activity.notes) lines.push(`备注：${activity.notes}`);
  lines.push(`参加人员：${counts.participants} 人（报名 ${counts.registered} 人，已签到 ${counts.signedIn} 人）`, signinLine(activity, now));
  if (!counts.participants) lines.push('', '下一步：点击“选择参加人员”，从本组织及下级组织中选人（可整个组织全选）。');
  const id = activity.id;
  const choices: Choice[][] = [
    [button('👥 选择参加人员', `/participants ${id}`), organiserButton('📣 通知参加人员', 'n', id)],
    [organiserButton('📱 签到（签到码/二维码）', 's', id), organiserButton('📋 签到名单', 'l', id)],
    [organiserButton('📥 导出签到表', 'x', id), button('✏️ 修改', `/activity_edit ${id}`)],
  ];
  return { text: lines.join('\n'), choices };
}

/** One line of a list: `12月5日（周六）14:00 团日活动：冬日暖心 · 某某支部`. */
export function activityListLine({ activity, orgName }: ActivityOfOrg): string {
  return `${formatChinaDateTime(activity.startsAt)} ${ACTIVITY_KIND_LABELS[activity.kind]}：${activity.title} · ${orgName}`;
}

/** `本月：支部委员会 1/1 ✅，团小组会 0/1；本季度：…` — what is still due (三会两制一课). */
export function dutiesText(duties: Duty[]): string {
  const part = (period: Duty['period']) =>
    duties
      .filter((d) => d.period === period)
      .map((d) => `${ACTIVITY_KIND_LABELS[d.kind]} ${d.done}/${d.times}${d.done >= d.times ? ' ✅' : ''}`)
      .join('，');
  const due = duties.filter((d) => d.done < d.times).map((d) => ACTIVITY_KIND_LABELS[d.kind]);
  return [`本月：${part('month')}`, `本季度：${part('quarter')}`, due.length ? `尚未开展：${due.join('、')}` : '本月和本季度应开展的都已记录。'].join('\n');
}

/** The attendance as a chat message: counts, then names by where they stand. */
export function attendanceText(activity: Activity, attendance: Attendance): string {
  const c = attendance.counts;
  const head = [
    `【签到名单】${activity.title}`,
    `应到 ${attendance.rows.length} 人，已签到 ${c.signed} 人，${attendance.over ? `缺席 ${c.absent} 人` : `未签到 ${c.waiting} 人`}`,
    `报名 ${c.registered} 人，不参加 ${c.declined} 人，未答复 ${c.invited} 人${c.walkIns ? `；现场签到 ${c.walkIns} 人` : ''}`,
  ];
  if (!attendance.rows.length) return [...head, '', '还没有选择参加人员。'].join('\n');
  const group = (title: string, rows: Attendance['rows'], line: (r: Attendance['rows'][number]) => string) => {
    if (!rows.length) return [];
    const more = rows.length > NAMES_SHOWN ? [`……等 ${rows.length} 人，完整名单请导出签到表`] : [];
    return ['', `${title}（${rows.length}）：`, ...rows.slice(0, NAMES_SHOWN).map(line), ...more];
  };
  const signed = [...attendance.rows.filter((r) => r.mark === 'signed')].sort((a, b) => a.signedInAt!.getTime() - b.signedInAt!.getTime());
  return [
    ...head,
    ...group(MARK_LABELS.signed, signed, (r) => `${r.name} ${formatChinaClock(r.signedInAt!)}${r.walkIn ? '（现场）' : ''}`),
    ...group(
      attendance.over ? MARK_LABELS.absent : MARK_LABELS.waiting,
      attendance.rows.filter((r) => r.mark !== 'signed'),
      (r) => `${r.name}（${RESPONSE_LABELS[r.response]}）`,
    ),
  ].join('\n');
}
