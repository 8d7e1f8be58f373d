import ExcelJS from 'exceljs';
import type { Activity } from '../../../models';
import { ACTIVITY_KIND_LABELS } from './activities';
import type { ParticipantView } from './activity-participants';
import { formatChinaDateTime } from '../../lib/china-datetime';
import { isSigninOver } from './signin';

/** Where a participant stands: signed in, absent (sign-in is over), or not yet. */
export type AttendanceMark = 'signed' | 'absent' | 'waiting';

export const RESPONSE_LABELS: Record<ParticipantView['response'], string> = { invited: '未答复', registered: '已报名', declined: '不参加' };
export const MARK_LABELS: Record<AttendanceMark, string> = { signed: '已签到', absent: '缺席', waiting: '未签到' };

/** An activity's attendance (R19): everyone picked, with their answer and sign-in, counted. */
export interface Attendance {
  rows: Array<ParticipantView & { mark: AttendanceMark }>;
  counts: Record<AttendanceMark, number> & { registered: number; declined: number; invited: number; walkIns: number };
  /** Sign-in is over: who did not sign in is absent. */
  over: boolean;
}

/**
 * Where one participant stands at `now` (R19): the one rule the chat, the attendance sheet and
 * the web app all read, so none calls someone absent while another still waits for them.
 */
export function attendanceMarkOf(activity: Parameters<typeof isSigninOver>[0], participant: { signedInAt: Date | null }, now: Date): AttendanceMark {
  if (participant.signedInAt) return 'signed';
  return isSigninOver(activity, now) ? 'absent' : 'waiting';
}

export function attendanceOf(activity: Activity, participants: ParticipantView[], now: Date): Attendance {
  const over = isSigninOver(activity, now);
  const rows = participants.map((p) => ({ ...p, mark: attendanceMarkOf(activity, p, now) }));
  const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
  return {
    rows,
    over,
    counts: {
      signed: count((r) => r.mark === 'signed'),
      absent: count((r) => r.mark === 'absent'),
      waiting: count((r) => r.mark === 'waiting'),
      registered: count((r) => r.response === 'registered'),
      declined: count((r) => r.response === 'declined'),
      invited: count((r) => r.response === 'invited'),
      walkIns: count((r) => r.walkIn),
    },
  };
}

/**
 * The attendance list as a spreadsheet (exceljs): the activity on top, then one row per
 * participant (ID numbers masked, as everywhere in chat).
 */
export async function attendanceSheet(activity: Activity, orgName: string, attendance: Attendance): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '智慧团建';
  const ws = wb.addWorksheet('签到名单', { views: [{ state: 'frozen', ySplit: 4 }] });
  const c = attendance.counts;
  ws.addRow([`${ACTIVITY_KIND_LABELS[activity.kind]}：${activity.title}`]).font = { bold: true, size: 13 };
  ws.addRow([`${orgName}　${formatChinaDateTime(activity.startsAt)} 至 ${formatChinaDateTime(activity.endsAt)}${activity.place ? `　${activity.place}` : ''}`]);
  ws.addRow([
    `应到 ${attendance.rows.length} 人，已签到 ${c.signed} 人，${attendance.over ? `缺席 ${c.absent} 人` : `未签到 ${c.waiting} 人`}；报名 ${c.registered} 人，不参加 ${c.declined} 人，未答复 ${c.invited} 人`,
  ]);
  const header = ws.addRow(['序号', '姓名', '身份证号码', '所在组织', '报名情况', '签到情况', '签到时间', '备注']);
  header.font = { bold: true };
  attendance.rows.forEach((r, i) => {
    ws.addRow([
      i + 1,
      r.name,
      r.idMasked,
      r.orgName ?? '',
      RESPONSE_LABELS[r.response],
      MARK_LABELS[r.mark],
      r.signedInAt ? formatChinaDateTime(r.signedInAt) : '',
      r.walkIn ? '现场签到（未预先选定）' : '',
    ]);
  });
  [6, 10, 22, 36, 10, 10, 22, 22].forEach((width, i) => (ws.getColumn(i + 1).width = width));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
