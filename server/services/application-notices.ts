/**
 * What an application looks like in a notification: the facts an admin decides on, the
 * buttons for the next step, and the news the applicant gets. Queued through the outbox.
 */
import type { Application } from '../../models/Application';
import type { Organisation } from '../../models/Organisation';
import type { Person } from '../../models/Person';
import { APPLICATION_KIND_LABELS, MOVE_LABELS, nextStage, STAGE_LABELS } from './application-stages';
import type { ApplicationStage } from './application-stages';
import type { OutgoingMessage } from './outbox';

/** Action prefix of the admin's buttons: `!app:<id>:<from>:<to>` moves, `!app:<id>:show` shows. */
export const APP_ACTION = 'app';
/** Command of the reject conversation (asks for a reason): `/app_reject <id> <from>`. */
export const REJECT_COMMAND = 'app_reject';

import { formatChinaTime } from './china-time';

export { formatChinaTime };

/** An application with what it points at. */
export interface ApplicationParts {
  app: Application;
  person: Person;
  org: Organisation;
  homeOrg?: Organisation | null;
}

/** The application's JSON data. */
export interface ApplicationData {
  role?: 'member' | 'cadre';
  statement?: string;
  ageAtSubmit?: number;
  history: Array<{ stage: ApplicationStage; at: string; by: number }>;
}

export function dataOf(app: Application): ApplicationData {
  const data = JSON.parse(app.data || '{}') as Partial<ApplicationData>;
  return { ...data, history: data.history ?? [] };
}

/** The facts an admin decides on (the ID number masked). */
export function applicationSummary({ app, person, org, homeOrg }: ApplicationParts): string {
  const data = dataOf(app);
  const lines = [
    `【${APPLICATION_KIND_LABELS[app.kind]}】编号 ${app.id}`,
    `申请人：${person.name}（${person.idMasked}，${person.gender === 'M' ? '男' : '女'}，出生日期 ${person.birthDate}）`,
    `${app.kind === 'flow_checkin' ? '报到组织' : '申请加入'}：${org.fullName}`,
  ];
  if (data.role) lines.push(`身份：${data.role === 'cadre' ? '团干部' : '团员'}`);
  if (person.joinedLeagueAt && app.kind !== 'join') lines.push(`入团时间：${person.joinedLeagueAt}`);
  if (app.homeOrgName) lines.push(`团籍所在地：${app.homeOrgName}${homeOrg ? '（系统内有此组织）' : '（系统内未找到此组织，请核实）'}`);
  if (data.statement) lines.push(`入团动机：${data.statement}`);
  if (person.phone) lines.push(`手机号码：${person.phone}`);
  lines.push(`提交时间：${formatChinaTime(app.createdAt)}`);
  lines.push(`当前阶段：${STAGE_LABELS[app.stage]}`);
  return lines.join('\n');
}

/** Buttons for the admin's next step (the forward move and 驳回); none once decided. */
export function moveButtons(app: Application): Array<Array<{ label: string; value: string }>> {
  const next = nextStage(app.kind, app.stage);
  if (!next) return [];
  return [
    [{ label: MOVE_LABELS[next], value: `!${APP_ACTION}:${app.id}:${app.stage}:${next}` }],
    [{ label: MOVE_LABELS.rejected, value: `/${REJECT_COMMAND} ${app.id} ${app.stage}` }],
  ];
}

/** To the admins: a new application waits for them. */
export function submittedNotice(parts: ApplicationParts): OutgoingMessage {
  return { text: `有一份新的申请待您审核：\n${applicationSummary(parts)}`, choices: moveButtons(parts.app) };
}

/** To the applicant: what the admin decided, or the stage reached. */
export function movedNotice({ app, person, org, homeOrg }: ApplicationParts, to: ApplicationStage): OutgoingMessage {
  const kind = APPLICATION_KIND_LABELS[app.kind];
  switch (to) {
    case 'approved':
      return { text: `您的${kind}申请已通过！您已加入“${org.fullName}”。发送 /me 查看您的信息。` };
    case 'confirmed':
      return { text: `您的流动团员报到已确认！现所在团支部：${org.fullName}；团籍所在地：${homeOrg?.fullName ?? app.homeOrgName ?? '（未填写）'}。发送 /status 查看详情。` };
    case 'admitted':
      return { text: `祝贺您，${person.name}！您的入团申请已批准，您已成为“${org.fullName}”的共青团员（入团时间 ${person.joinedLeagueAt ?? ''}）。发送 /me 查看您的信息。` };
    case 'rejected':
      return { text: `很遗憾，您的${kind}（${org.fullName}）未通过。\n理由：${app.reason ?? ''}\n如有疑问，请联系该团支部。` };
    default:
      return { text: `您的${kind}（${org.fullName}）有新进展：${STAGE_LABELS[to]}。发送 /status 查看详情。` };
  }
}
