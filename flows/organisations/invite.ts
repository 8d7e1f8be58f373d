import type { Organisation } from '../../models/Organisation';
import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { maskIdNumber } from '../../server/lib/id-number';
import { INVITATION_DAYS } from '../../server/services/organisations/invitations';
import { searchOrgsWithin } from '../../server/services/organisations/org-search';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { addAuditLabels } from '../audit/audit';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { Flow, FlowContext, FlowEvent, StepResult } from '../engine/types';
import { button } from '../engine/types';

/** Plain-JSON state; the invitee's ID number only sealed. */
type State =
  | { step: 'org'; query?: string }
  | { step: 'id'; orgId: number }
  | { step: 'title'; orgId: number; sealedId: string }
  | { step: 'confirm'; orgId: number; sealedId: string; title: string };
type Result = StepResult<State>;

const TITLES = ['书记', '副书记', '组织委员', '宣传委员', '委员'];
const ONLY_BRANCHES = '邀请只用于团的领导机关、团委、团工委和团总支；团员加入团支部请通过管理员注册、组织管理员添加、团员团干部注册、我要入团或流动团员报到。';

addAuditLabels({ 'invitation.create': '发出邀请', 'invitation.accept': '接受邀请', 'invitation.decline': '拒绝邀请' });

const isInvitable = (o: Organisation) => o.kind !== 'branch';

async function findOrgs(ctx: FlowContext, query: string): Promise<Organisation[]> {
  const roots = await ctx.services.admins.orgsOf(ctx.actor.personId!);
  return (await searchOrgsWithin(roots, query, { limit: 40 })).filter(isInvitable).slice(0, 8);
}

async function chooseOrg(ctx: FlowContext, orgId: number): Promise<Result> {
  const org = await ctx.services.invitations.requireInvitableOrg(ctx.actor.personId!, orgId);
  return {
    replies: [{ text: `邀请加入：${org.fullName}（${KIND_LABELS[org.kind]}）\n请输入被邀请人的身份证号码（对方须已注册）：` }],
    next: { step: 'id', orgId },
  };
}

async function orgStep(ctx: FlowContext, state: Extract<State, { step: 'org' }>, event: FlowEvent): Promise<Result> {
  const picked = pickedOrgId(event);
  if (picked) return chooseOrg(ctx, picked);
  if (event.type === 'choice' && event.value === SHOW_FULL) {
    const orgs = state.query ? await findOrgs(ctx, state.query) : (await ctx.services.admins.orgsOf(ctx.actor.personId!)).filter(isInvitable);
    if (orgs.length) return { replies: [await orgResultsReply(ctx, orgs, true)], next: state };
  }
  if (event.type !== 'text') return { replies: [{ text: '请点击上面的组织按钮，或发送组织名称（其中几个字）查找；发送 /cancel 取消。' }], next: state };
  const orgs = await findOrgs(ctx, event.text);
  if (!orgs.length) return { replies: [noResults(event.text), { text: `（只能邀请加入您管理的组织及其下级组织；${ONLY_BRANCHES}）` }], next: { step: 'org' } };
  return { replies: [await orgResultsReply(ctx, orgs, false)], next: { step: 'org', query: event.text } };
}

function titlePrompt(state: State, lead: string): Result {
  const choices = [TITLES.slice(0, 3).map((t, i) => button(t, `title:${i}`)), TITLES.slice(3).map((t, i) => button(t, `title:${i + 3}`))];
  return { replies: [{ text: `${lead}\n请选择邀请对方担任的职务，或直接输入其他职务：`, choices }], next: state };
}

async function confirmPrompt(ctx: FlowContext, state: Extract<State, { step: 'confirm' }>): Promise<Result> {
  const org = await ctx.services.organisations.require(state.orgId);
  const invitee = await ctx.services.invitations.requireInvitee(ctx.open(state.sealedId));
  const text = `请确认：邀请 ${invitee.name}（${invitee.idMasked}）加入“${org.fullName}”，担任${state.title}。\n对方接受后即在该组织任职，其所在团支部（组织关系）不变。邀请 ${INVITATION_DAYS} 天内有效。`;
  return { replies: [{ text, choices: [[button('📨 发送邀请', 'send'), button('取消', '/cancel')]] }], next: state };
}

async function send(ctx: FlowContext, state: Extract<State, { step: 'confirm' }>): Promise<Result> {
  const { invitee, org, notified } = await ctx.services.invitations.invite(ctx.actor.personId!, {
    orgId: state.orgId,
    idNumber: ctx.open(state.sealedId),
    title: state.title,
  });
  const reach = notified ? '对方已收到带“接受 / 拒绝”按钮的通知。' : '对方目前没有在聊天中登录：登录后发送 /invitations 即可查看并答复。';
  return {
    replies: [
      { text: `✅ 已邀请 ${invitee.name} 加入“${org.fullName}”担任${state.title}。${reach}\n邀请 ${INVITATION_DAYS} 天内有效，对方答复后您会收到通知。` },
    ],
  };
}

async function fieldStep(ctx: FlowContext, state: Exclude<State, { step: 'org' }>, event: FlowEvent): Promise<Result> {
  const text = event.type === 'text' ? event.text.trim() : '';
  if (state.step === 'id') {
    if (!text) return { replies: [{ text: '请直接输入被邀请人的身份证号码，或发送 /cancel 取消。' }], next: state };
    const invitee = await ctx.services.invitations.requireInvitee(text);
    const sealedId = ctx.seal(ctx.services.accounts.idNumberOf(invitee));
    return titlePrompt({ step: 'title', orgId: state.orgId, sealedId }, `被邀请人：${invitee.name}（${maskIdNumber(ctx.open(sealedId))}）`);
  }
  if (state.step === 'title') {
    const picked = event.type === 'choice' && event.value.startsWith('title:') ? TITLES[Number(event.value.slice(6))] : undefined;
    if (!picked && !text) return titlePrompt(state, '请点击职务按钮，或直接输入职务名称。');
    const title = ctx.services.invitations.normaliseTitle(picked ?? text);
    return confirmPrompt(ctx, { ...state, step: 'confirm', title });
  }
  if (event.type === 'choice' && event.value === 'send') return send(ctx, state);
  const again = await confirmPrompt(ctx, state);
  again.replies[0].text = `请点“发送邀请”，或发送 /cancel 取消。\n${again.replies[0].text}`;
  return again;
}

/**
 * /invite (邀请, R13): an admin invites a registered user, by ID number, into a leading body,
 * committee, working committee or general branch it manages, with a post title.
 */
export const inviteFlow: Flow<State> = {
  name: 'invite',
  version: 1,
  commands: ['invite'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const orgs = await ctx.services.admins.orgsOf(ctx.actor.personId!);
    if (!orgs.length) return { replies: [{ text: '只有组织管理员可以邀请用户加入组织。如您是管理员，请先发送 /register_admin 注册。' }] };
    const own = orgs.filter(isInvitable);
    if (!own.length) return { replies: [{ text: `您管理的都是团支部，不能发出邀请。${ONLY_BRANCHES}` }] };
    const list = await orgResultsReply(ctx, own, false);
    list.text = '请选择邀请对方加入的组织；也可发送下级组织的名称查找（团支部除外）：';
    return { replies: [list], next: { step: 'org' } };
  },
  async step(ctx, state, event) {
    try {
      if (state.step === 'org') return await orgStep(ctx, state, event);
      return await fieldStep(ctx, state, event);
    } catch (err) {
      if (!isUserError(err)) throw err;
      if (state.step === 'confirm') return { replies: [{ text: `${userErrorText(err)}\n本次邀请未发出。` }] };
      if (state.step === 'title') return titlePrompt(state, userErrorText(err));
      return { replies: [{ text: `${userErrorText(err)}\n请重新输入或选择，或发送 /cancel 取消。` }], next: state };
    }
  },
};
