/**
 * Applications in chat: the facts an admin decides on, the buttons for the next step, and
 * the notices (a new application to the admins, the outcome to the applicant).
 */
import type { Application } from '../../models/Application';
import type { ApplicationParts } from '../../server/services/applications/application-data';
import { dataOf } from '../../server/services/applications/application-data';
import { APPLICATION_KIND_LABELS, MOVE_LABELS, nextStage, STAGE_LABELS, type ApplicationStage } from '../../server/services/applications/application-stages';
import { formatChinaTime } from '../../server/lib/china-datetime';
import type { Choice, Reply } from '../engine/types';
import type { NoticeRenderers } from './types';

/** Action prefix of the admin's buttons: `!app:<id>:<from>:<to>` moves, `!app:<id>:show` shows. */
export const APP_ACTION = 'app';
/** Command of the reject conversation (asks for a reason): `/app_reject <id> <from>`. */
export const REJECT_COMMAND = 'app_reject';

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
export function moveButtons(app: Application): Choice[][] {
  const next = nextStage(app.kind, app.stage);
  if (!next) return [];
  return [
    [{ label: MOVE_LABELS[next], value: `!${APP_ACTION}:${app.id}:${app.stage}:${next}` }],
    [{ label: MOVE_LABELS.rejected, value: `/${REJECT_COMMAND} ${app.id} ${app.stage}` }],
  ];
}

/** To the applicant: what the admin decided, or the stage reached. */
function movedText({ app, person, org, homeOrg }: ApplicationParts, to: ApplicationStage): string {
  const kind = APPLICATION_KIND_LABELS[app.kind];
  switch (to) {
    case 'approved':
      return `您的${kind}申请已通过！您已加入“${org.fullName}”。发送 /me 查看您的信息。`;
    case 'confirmed':
      return `您的流动团员报到已确认！现所在团支部：${org.fullName}；团籍所在地：${homeOrg?.fullName ?? app.homeOrgName ?? '（未填写）'}。发送 /status 查看详情。`;
    case 'admitted':
      return `祝贺您，${person.name}！您的入团申请已批准，您已成为“${org.fullName}”的共青团员（入团时间 ${person.joinedLeagueAt ?? ''}）。发送 /me 查看您的信息。`;
    case 'rejected':
      return `很遗憾，您的${kind}（${org.fullName}）未通过。\n理由：${app.reason ?? ''}\n如有疑问，请联系该团支部。`;
    default:
      return `您的${kind}（${org.fullName}）有新进展：${STAGE_LABELS[to]}。发送 /status 查看详情。`;
  }
}

export const applicationNotices: NoticeRenderers<'application.submitted' | 'application.moved'> = {
  async 'application.submitted'(services, notice): Promise<Reply | null> {
    const parts = await services.notices.application(notice.applicationId);
    if (!parts) return null;
    // Rendered when sent: the buttons are those of the stage it is at now (another admin may have moved it).
    const choices = moveButtons(parts.app);
    return { text: `有一份新的申请待您审核：\n${applicationSummary(parts)}`, choices: choices.length ? choices : undefined };
  },
  async 'application.moved'(services, notice) {
    const parts = await services.notices.application(notice.applicationId);
    return parts && { text: movedText(parts, notice.to) };
  },
};
