import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { applicationSummary, APP_ACTION, moveButtons, REJECT_COMMAND } from '../notices/applications';
import { APPLICATION_KIND_LABELS, ApplicationStage, isStage, STAGE_LABELS } from '../../server/services/applications/application-stages';
import type { Action, Flow, FlowContext, Reply } from '../engine/types';
import { actionValue, button } from '../engine/types';

const STALE = '这个按钮已失效。发送 /applications 查看待处理的申请。';

/** What an admin sees after moving an application: the result, and the next step's buttons. */
async function moved(ctx: FlowContext, appId: number, from: ApplicationStage, to: ApplicationStage, reason?: string): Promise<Reply[]> {
  const parts = await ctx.services.applications.decisions.move(ctx.actor.personId!, appId, from, to, reason);
  const { app, person } = parts;
  const lines = [`已处理：${person.name} 的${APPLICATION_KIND_LABELS[app.kind]}（编号 ${app.id}）→ ${STAGE_LABELS[to]}。已通知申请人。`];
  if (to === 'rejected') lines.push(`驳回理由：${app.reason}`);
  const next = moveButtons(app);
  if (next.length) lines.push('', '下一步：', applicationSummary(parts));
  return [{ text: lines.join('\n'), choices: next.length ? next : undefined }];
}

/** /applications: undecided applications (all three kinds) of the organisations the admin manages. */
export const applicationsFlow: Flow = {
  name: 'applications',
  version: 1,
  commands: ['applications'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    if (!(await ctx.services.admins.isAdmin(ctx.actor.personId!))) {
      return { replies: [{ text: '只有组织管理员可以审批申请。查看自己的申请进度请发送 /status。' }] };
    }
    const { items, total } = await ctx.services.applications.pendingFor(ctx.actor.personId!);
    if (!items.length) return { replies: [{ text: '目前没有待处理的申请。' }] };
    const lines = items.map(
      ({ app, person, org }, i) =>
        `${i + 1}. 编号 ${app.id}　${person.name}　${APPLICATION_KIND_LABELS[app.kind]}　${STAGE_LABELS[app.stage]}\n   ${org.fullName}`,
    );
    const more = total > items.length ? `\n（共 ${total} 份，这里显示最早的 ${items.length} 份，处理后再发送 /applications 查看其余的）` : '';
    const choices = items.map(({ app, person }) => [
      button(`编号 ${app.id} ${person.name}（${APPLICATION_KIND_LABELS[app.kind]}）`, actionValue(APP_ACTION, `${app.id}:show`)),
    ]);
    return { replies: [{ text: `待处理的申请（共 ${total} 份），点击查看并审批：\n${lines.join('\n')}${more}`, choices }] };
  },
};

/** Parses `<id>:show` or `<id>:<from>:<to>`; null for anything else. */
function parsePayload(payload: string): { id: number; show: true } | { id: number; from: ApplicationStage; to: ApplicationStage } | null {
  const [rawId, a, b, ...rest] = payload.split(':');
  const id = Number(rawId);
  if (!Number.isSafeInteger(id) || id <= 0 || rest.length) return null;
  if (a === 'show' && b === undefined) return { id, show: true };
  return a && b && isStage(a) && isStage(b) ? { id, from: a, to: b } : null;
}

/**
 * The admin's buttons on a notification or in /applications: show one application, or move
 * it a stage on. Rights are checked by the presser's account in the service, never the payload.
 */
export const applicationAction: Action = {
  prefix: APP_ACTION,
  privateOnly: true,
  async handle(ctx, payload) {
    const p = parsePayload(payload);
    if (!p) return [{ text: STALE }];
    if ('show' in p) {
      const parts = await ctx.services.applications.decisions.view(ctx.actor.personId!, p.id);
      const choices = moveButtons(parts.app);
      return [{ text: `${applicationSummary(parts)}${choices.length ? '' : '\n（已处理完毕）'}`, choices: choices.length ? choices : undefined }];
    }
    return moved(ctx, p.id, p.from, p.to);
  },
};

type RejectState = { id: number; from: ApplicationStage };
const USE_DEFAULT = 'reject:default';

/** `/app_reject <id> <from>` (the 驳回 button): asks the admin for a reason, or uses the default one. */
export const rejectApplicationFlow: Flow<RejectState> = {
  name: 'application-reject',
  version: 1,
  commands: [REJECT_COMMAND],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const p = parsePayload(args.trim().split(/\s+/).join(':') + ':rejected');
    if (!p || 'show' in p) return { replies: [{ text: STALE }] };
    const { app, person, org } = await ctx.services.applications.decisions.requireMovable(ctx.actor.personId!, p.id, p.from, 'rejected');
    const text = `驳回 ${person.name} 的${APPLICATION_KIND_LABELS[app.kind]}（编号 ${app.id}，${org.fullName}）。\n请输入驳回理由（2-200 字，会告知申请人），或点击“使用默认理由”：\n（发送 /cancel 取消，不驳回）`;
    return { replies: [{ text, choices: [[button('使用默认理由', USE_DEFAULT)]] }], next: { id: p.id, from: p.from } };
  },
  async step(ctx, state, event) {
    const useDefault = event.type === 'choice' && event.value === USE_DEFAULT;
    if (!useDefault && event.type !== 'text') {
      return { replies: [{ text: '请输入驳回理由，或点击“使用默认理由”：', choices: [[button('使用默认理由', USE_DEFAULT)]] }], next: state };
    }
    try {
      return { replies: await moved(ctx, state.id, state.from, 'rejected', useDefault ? undefined : (event as { text: string }).text) };
    } catch (err) {
      // A reason too short or too long is asked again; anything else (decided meanwhile, no right) ends here.
      if (!isUserError(err)) throw err;
      if (err.code.startsWith('TEXT_TOO')) return { replies: [{ text: userErrorText(err), choices: [[button('使用默认理由', USE_DEFAULT)]] }], next: state };
      return { replies: [{ text: userErrorText(err) }], next: null };
    }
  },
};
