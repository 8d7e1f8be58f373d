import { ApplicationParts, dataOf } from '../../server/services/applications/application-data';
import { formatChinaTime } from '../../server/lib/china-datetime';
import { APPLICATION_KIND_LABELS, forwardPath, isFinal, STAGE_LABELS } from '../../server/services/applications/application-stages';
import type { Flow } from '../engine/types';

/** One application as its applicant sees it: where it went, each stage with its date, what comes next. */
function describe({ app, org, homeOrg }: ApplicationParts): string {
  const lines = [`【${APPLICATION_KIND_LABELS[app.kind]}】编号 ${app.id}`];
  if (app.kind === 'flow_checkin') {
    lines.push(`团籍所在地：${homeOrg?.fullName ?? app.homeOrgName ?? '（未填写）'}`, `现所在组织（报到团支部）：${org.fullName}`);
  } else {
    lines.push(`申请组织：${org.fullName}`);
  }
  lines.push(`当前阶段：${STAGE_LABELS[app.stage]}`, '办理记录：');
  for (const h of dataOf(app).history) lines.push(`  ${formatChinaTime(new Date(h.at))}　${STAGE_LABELS[h.stage]}`);
  if (app.stage === 'rejected' && app.reason) lines.push(`未通过理由：${app.reason}`);
  if (!isFinal(app.stage)) {
    const path = forwardPath(app.kind);
    const rest = path.slice(path.indexOf(app.stage) + 1).map((s) => STAGE_LABELS[s]);
    if (rest.length) lines.push(`后续阶段：${rest.join(' → ')}`);
  }
  return lines.join('\n');
}

/** /status: the applicant's own applications (R8, R9, R9a) and their stages, with dates. */
export const statusFlow: Flow = {
  name: 'status',
  version: 1,
  commands: ['status'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const apps = await ctx.services.applications.ofPerson(ctx.actor.personId!);
    if (!apps.length) {
      return { replies: [{ text: '您没有申请记录。团员注册、入团申请和流动团员报到的办理进度会显示在这里。' }] };
    }
    return { replies: [{ text: `我的申请（共 ${apps.length} 份）：\n\n${apps.map(describe).join('\n\n')}` }] };
  },
};
