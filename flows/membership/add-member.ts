import { maskIdNumber } from '../../server/lib/id-number';
import { checkPostTitle, MEMBER_DUPLICATE_MESSAGE } from '../../server/services/membership/members';
import { searchOrgsWithin } from '../../server/services/organisations/org-search';
import { parseDate, parseName, parsePhone, parseRole, todayInChina } from '../../server/services/membership/roster-import/rows/values';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { Flow, FlowContext, FlowEvent, Reply, StepResult } from '../engine/types';
import { button } from '../engine/types';

type Step = 'org' | 'id' | 'name' | 'role' | 'post' | 'joined' | 'phone' | 'confirm';

/** Plain-JSON state; the ID number only sealed. */
interface State {
  step: Step;
  query?: string;
  orgId?: number;
  id?: string;
  birthDate?: string;
  name?: string;
  role?: 'member' | 'cadre';
  post?: string | null;
  joined?: string;
  phone?: string;
}

type Result = StepResult<State>;

const ROLE_CHOICES = [[button('团员', 'role:member'), button('团干部', 'role:cadre')]];
const PROMPTS: Record<Step, Reply> = {
  org: { text: '请发送要添加到的团支部名称（或其中几个字）查找：' },
  id: { text: '请输入新成员的身份证号码（18 位）：' },
  name: { text: '请输入新成员的姓名：' },
  role: { text: '请选择政治面貌：', choices: ROLE_CHOICES },
  post: { text: '请输入该团干部在本支部的职务（如“团支部书记”“组织委员”），没有可点“跳过”：', choices: [[button('跳过', 'post:skip')]] },
  joined: { text: '请输入入团时间（如 2016-09-01）：' },
  phone: { text: '请输入手机号码（11 位）：' },
  confirm: { text: '请核对以上信息：', choices: [[button('✅ 确认添加', 'confirm:yes'), button('取消', '/cancel')]] },
};

const ask = (state: State, lead?: string): Result => {
  const p = PROMPTS[state.step];
  return { replies: [{ ...p, text: lead ? `${lead}\n${p.text}` : p.text }], next: state };
};

async function chooseOrg(ctx: FlowContext, orgId: number): Promise<Result> {
  await ctx.services.members.requireTarget(ctx.actor.personId!, orgId);
  const org = await ctx.services.organisations.require(orgId);
  return ask({ step: 'id', orgId }, `添加到：${org.fullName}`);
}

async function orgStep(ctx: FlowContext, state: State, event: FlowEvent): Promise<Result> {
  const picked = pickedOrgId(event);
  if (picked) return chooseOrg(ctx, picked);
  const roots = await ctx.services.admins.orgsOf(ctx.actor.personId!);
  if (event.type === 'choice' && event.value === SHOW_FULL) {
    // Without a search yet, the list shown was the admin's own branches.
    const orgs = state.query ? await searchOrgsWithin(roots, state.query, { kind: 'branch' }) : roots.filter((o) => o.kind === 'branch');
    if (!orgs.length) return ask(state);
    return { replies: [await orgResultsReply(ctx, orgs, true)], next: state };
  }
  if (event.type !== 'text') return ask(state);
  const orgs = await searchOrgsWithin(roots, event.text, { kind: 'branch' });
  if (!orgs.length) return { replies: [noResults(event.text), { text: '（只能添加到您管理的组织及其下级的团支部）' }], next: { step: 'org' } };
  return { replies: [await orgResultsReply(ctx, orgs, false)], next: { step: 'org', query: event.text } };
}

function summary(ctx: FlowContext, s: State, branch: string): string {
  return [
    `团支部：${branch}`,
    `姓名：${s.name}`,
    `身份证号码：${maskIdNumber(ctx.open(s.id!))}`,
    `政治面貌：${s.role === 'cadre' ? '团干部' : '团员'}${s.post ? `（${s.post}）` : ''}`,
    `入团时间：${s.joined}`,
    `手机号码：${s.phone}`,
  ].join('\n');
}

async function add(ctx: FlowContext, s: State): Promise<Result> {
  const person = await ctx.services.members.addMember(ctx.actor.personId!, {
    orgId: s.orgId!,
    idNumber: ctx.open(s.id!),
    name: s.name!,
    role: s.role!,
    postTitle: s.post ?? null,
    joinedLeagueAt: s.joined!,
    phone: s.phone!,
  });
  return {
    replies: [
      {
        text: `已添加 ${person.name}（${person.idMasked}）。\n对方无需注册，可直接发送 /login 登录：账号为身份证号码，初始密码为身份证号码后 8 位，首次登录后须修改密码。`,
        choices: [[button('继续添加', `/add_member ${s.orgId}`)]],
      },
    ],
  };
}

async function fieldStep(ctx: FlowContext, s: State, event: FlowEvent): Promise<Result> {
  const text = event.type === 'text' ? event.text.trim() : '';
  const value = event.type === 'choice' ? event.value : '';
  switch (s.step) {
    case 'role': {
      const role = value === 'role:member' ? 'member' : value === 'role:cadre' ? 'cadre' : text ? parseRole(text) : null;
      const chosen = typeof role === 'string' ? role : role?.ok ? role.value : null;
      if (!chosen) return ask(s);
      return ask({ ...s, step: chosen === 'cadre' ? 'post' : 'joined', role: chosen, post: null });
    }
    case 'post': {
      if (value === 'post:skip') return ask({ ...s, step: 'joined', post: null });
      const bad = text ? checkPostTitle(text) : '请输入职务名称';
      return bad ? ask(s, bad) : ask({ ...s, step: 'joined', post: text });
    }
    case 'confirm': {
      if (value === 'confirm:yes' || text === '确认') return add(ctx, s);
      return ask(s);
    }
    default:
      break;
  }
  if (event.type !== 'text') return ask(s, '请直接输入文字。');
  const now = ctx.services.deps.now();
  switch (s.step) {
    case 'id': {
      const id = ctx.services.accounts.requireIdNumber(text);
      if (await ctx.services.accounts.findByIdNumber(id.value)) return ask(s, `${MEMBER_DUPLICATE_MESSAGE}\n可以继续添加其他人，或发送 /cancel 结束。`);
      return ask({ ...s, step: 'name', id: ctx.seal(id.value), birthDate: id.birthDate });
    }
    case 'name': {
      const name = parseName(text || null);
      return name.ok ? ask({ ...s, step: 'role', name: name.value }) : ask(s, name.message);
    }
    case 'joined': {
      const joined = parseDate(text || null, { label: '入团时间', today: todayInChina(now), min: s.birthDate });
      return joined.ok ? ask({ ...s, step: 'phone', joined: joined.value }) : ask(s, joined.message);
    }
    default: {
      const phone = parsePhone(text || null);
      if (!phone.ok) return ask(s, phone.message);
      const next: State = { ...s, step: 'confirm', phone: phone.value };
      const branch = await ctx.services.organisations.require(s.orgId!);
      return ask(next, summary(ctx, next, branch.fullName));
    }
  }
}

/**
 * /add_member (组织管理员添加, R7): an admin enters a member or cadre of a branch it
 * manages; the account logs in with R3's initial password. `/add_member <branchId>`
 * starts with that branch (the 继续添加 button).
 */
export const addMemberFlow: Flow<State> = {
  name: 'add-member',
  version: 1,
  commands: ['add_member'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const orgs = await ctx.services.admins.orgsOf(ctx.actor.personId!);
    if (!orgs.length) return { replies: [{ text: '只有组织管理员可以添加团员团干部。如您是团支部管理员，请先发送 /register_admin 注册。' }] };
    const given = Number(args.trim());
    if (args.trim() && Number.isSafeInteger(given) && given > 0) return chooseOrg(ctx, given);
    const branches = orgs.filter((o) => o.kind === 'branch');
    if (orgs.length === 1 && branches.length === 1) return chooseOrg(ctx, branches[0].id);
    const reply = ask({ step: 'org' });
    if (branches.length) {
      reply.replies = [await orgResultsReply(ctx, branches, false), ...reply.replies];
      reply.replies[0].text = '您管理的团支部如下，可直接选择；也可发送下级团支部的名称查找：';
    }
    return reply;
  },
  async step(ctx, state, event) {
    if (state.step === 'org') return orgStep(ctx, state, event);
    return fieldStep(ctx, state, event);
  },
};
