import type { AnnouncementAudience } from '../../models/Announcement';
import { ORG_KINDS, type OrgKind } from '../../models/Organisation';
import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { MAX_ANNOUNCEMENT_CHARS } from '../../server/services/messaging/announcements';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { describeQuietHours } from '../../server/services/messaging/quiet-hours';
import { audienceText, AUDIENCE_LABELS, progressButton } from './announcement-text';
import { addAuditFieldLabels, addAuditLabels } from '../audit/audit-text';
import { announcementText } from '../notices/announcements';
import { ORG_PREFIX, pickedOrgId, shortLabel } from '../engine/org-picker';
import type { Flow, FlowContext, FlowEvent, StepResult } from '../engine/types';
import { button } from '../engine/types';

/** Plain-JSON state: the draft as far as it goes. */
type State =
  | { step: 'org' }
  | { step: 'audience'; orgId: number }
  | { step: 'kind'; orgId: number; audience: AnnouncementAudience }
  | { step: 'text'; orgId: number; audience: AnnouncementAudience; orgKind: OrgKind | null }
  | { step: 'confirm'; orgId: number; audience: AnnouncementAudience; orgKind: OrgKind | null; text: string };
type Result = StepResult<State>;

addAuditLabels({ 'announcement.create': '发布通知' });
addAuditFieldLabels({ orgKind: '组织类别', recipients: '人数', text: '内容' });

const NOT_ADMIN = '只有组织管理员可以发布通知。';

async function audiencePrompt(ctx: FlowContext, orgId: number, lead = ''): Promise<Result> {
  // Checked here too: a forged organisation button is refused before anything of it is shown.
  await ctx.services.announcements.kindsUnder(ctx.actor.personId!, orgId);
  const org = await ctx.services.organisations.require(orgId);
  const choices = (Object.keys(AUDIENCE_LABELS) as AnnouncementAudience[]).map((a) => [button(AUDIENCE_LABELS[a], `aud:${a}`)]);
  return {
    replies: [{ text: `${lead}发布范围：${org.fullName} 及其下级组织。\n请选择通知对象（团干部：在这些组织任职或担任管理员的人）：`, choices }],
    next: { step: 'audience', orgId },
  };
}

async function kindPrompt(ctx: FlowContext, state: Extract<State, { step: 'kind' }>): Promise<Result> {
  const kinds = await ctx.services.announcements.kindsUnder(ctx.actor.personId!, state.orgId);
  const choices = [[button('所有组织', 'kind:any')], ...kinds.map((k) => [button(`仅${KIND_LABELS[k]}`, `kind:${k}`)])];
  return { replies: [{ text: `对象：${AUDIENCE_LABELS[state.audience]}。\n是否只发给某一类组织（如只发给各团支部）？`, choices }], next: state };
}

function textPrompt(state: Extract<State, { step: 'text' }>): Result {
  return {
    replies: [{ text: `对象：${audienceText(state.audience, state.orgKind)}。\n请输入通知内容（最多 ${MAX_ANNOUNCEMENT_CHARS} 字，可以分行）：` }],
    next: state,
  };
}

async function confirmPrompt(ctx: FlowContext, state: Extract<State, { step: 'confirm' }>, lead = ''): Promise<Result> {
  const { org, text, recipients, reachable } = await ctx.services.announcements.preview(ctx.actor.personId!, state);
  const quiet = ctx.services.deps.quietHours;
  const lines = [
    `${lead}【预览】收到的通知如下：`,
    '',
    announcementText(org.fullName, text, ctx.person?.name ?? '', ctx.services.deps.now()),
    '',
    `对象：${audienceText(state.audience, state.orgKind)}`,
    `共 ${recipients} 人，其中 ${reachable} 人已在聊天中登录，可以收到${recipients > reachable ? `；${recipients - reachable} 人未登录，收不到` : ''}。`,
    ...(quiet ? [`免打扰时段（${describeQuietHours(quiet)}）内不推送，届时的通知在免打扰时段结束后送达。`] : []),
    '确认发布吗？',
  ];
  const choices = [[button('📢 确认发布', 'send')], [button('✏️ 修改内容', 'edit'), button('取消', '/cancel')]];
  return { replies: [{ text: lines.join('\n'), choices }], next: { ...state, text } };
}

async function send(ctx: FlowContext, state: Extract<State, { step: 'confirm' }>): Promise<Result> {
  const a = await ctx.services.announcements.create(ctx.actor.personId!, state);
  return {
    replies: [
      {
        text: `✅ 通知已发布（编号 ${a.id}），共 ${a.recipients} 人。正在后台逐批发送，大范围的通知需要一些时间。点击下方按钮或发送 /announcements 查看发送情况。`,
        choices: progressButton(a.id),
      },
    ],
  };
}

function chosen(event: FlowEvent, prefix: string): string | null {
  return event.type === 'choice' && event.value.startsWith(prefix) ? event.value.slice(prefix.length) : null;
}

async function step(ctx: FlowContext, state: State, event: FlowEvent): Promise<Result> {
  const text = event.type === 'text' ? event.text : '';
  switch (state.step) {
    case 'org': {
      const orgId = pickedOrgId(event);
      if (!orgId) return { replies: [{ text: '请点击上面的组织按钮选择发布范围，或发送 /cancel 取消。' }], next: state };
      return audiencePrompt(ctx, orgId);
    }
    case 'audience': {
      const audience = chosen(event, 'aud:');
      if (audience !== 'all' && audience !== 'cadres') return audiencePrompt(ctx, state.orgId, '请点击按钮选择通知对象。\n');
      return kindPrompt(ctx, { step: 'kind', orgId: state.orgId, audience });
    }
    case 'kind': {
      const kind = chosen(event, 'kind:');
      if (kind === null || (kind !== 'any' && !(ORG_KINDS as readonly string[]).includes(kind))) return kindPrompt(ctx, state);
      return textPrompt({ step: 'text', orgId: state.orgId, audience: state.audience, orgKind: kind === 'any' ? null : (kind as OrgKind) });
    }
    case 'text':
      if (!text.trim()) return textPrompt(state);
      return confirmPrompt(ctx, { ...state, step: 'confirm', text });
    case 'confirm':
      if (event.type === 'choice' && event.value === 'send') return send(ctx, state);
      if (event.type === 'choice' && event.value === 'edit') return textPrompt({ ...state, step: 'text' });
      // Typed text replaces the draft: the preview is shown again.
      if (text.trim()) return confirmPrompt(ctx, { ...state, text });
      return confirmPrompt(ctx, state, '请点“确认发布”，或“修改内容”，或发送 /cancel 取消。\n');
  }
}

/**
 * /announce (通知推送, R21): an admin writes to its organisation and those below (everyone or
 * only cadres, every kind of organisation or one), sees a preview with the recipient count,
 * and confirms; the recipients are told in the background. Rights are checked by the service.
 */
export const announceFlow: Flow<State> = {
  name: 'announce',
  version: 1,
  commands: ['announce'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const roots = await ctx.services.announcements.roots(ctx.actor.personId!);
    if (!roots.length) return { replies: [{ text: NOT_ADMIN }] };
    if (roots.length === 1) return audiencePrompt(ctx, roots[0].id);
    const choices = roots.map((o) => [button(shortLabel(o.fullName), `${ORG_PREFIX}${o.id}`)]);
    return {
      replies: [{ text: `请选择发布范围（所选组织及其下级组织）：\n${roots.map((o, i) => `${i + 1}. ${o.fullName}`).join('\n')}`, choices }],
      next: { step: 'org' },
    };
  },
  async step(ctx, state, event) {
    try {
      return await step(ctx, state, event);
    } catch (err) {
      if (!isUserError(err)) throw err;
      if (state.step === 'confirm' && event.type === 'choice' && event.value === 'send') return { replies: [{ text: `${userErrorText(err)}\n通知未发布。` }] };
      if (state.step === 'text' || state.step === 'confirm') return { replies: [{ text: `${userErrorText(err)}` }], next: { ...state, step: 'text' } as State };
      return { replies: [{ text: `${userErrorText(err)}\n请重新选择，或发送 /cancel 取消。` }], next: state };
    }
  },
};
