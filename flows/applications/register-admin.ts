import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { checkNewPassword } from '../../server/services/accounts/accounts';
import { ADMIN_DUPLICATE_MESSAGE, adminAgeProblem, EARLY_JOIN_MIN_AGE } from '../../server/services/applications/admin-registration';
import { ageOn } from '../../server/lib/id-number';
import { parseDate, parseName, parsePhone, todayInChina } from '../../server/services/membership/roster-import/rows/values';
import { menuButtons } from '../engine/menu';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { Flow, FlowContext, FlowEvent, StepResult } from '../engine/types';
import { button } from '../engine/types';

type Step = 'search' | 'pick' | 'code' | 'id' | 'name' | 'joined' | 'phone' | 'password' | 'repeat';

/** Plain-JSON state; the code, ID number and password only sealed. */
interface State {
  step: Step;
  query?: string;
  orgId?: number;
  code?: string;
  id?: string;
  birthDate?: string;
  name?: string;
  joined?: string;
  phone?: string;
  pw?: string;
}

type Result = StepResult<State>;

const PROMPTS: Record<Step, string> = {
  search: '请发送要注册的团组织名称（全称或其中几个字），我来帮您查找：',
  pick: '请点击上面的按钮选择组织，或发送其他名称重新搜索。',
  code: '请输入该组织的管理员注册码（8 位数字和字母，区分大小写；发送后消息会被自动删除）：',
  id: '请输入您的身份证号码（18 位，最后一位可以是 X）：',
  name: '请输入您的姓名：',
  joined: '请输入您的入团时间（如 2016-09-01）：',
  phone: '请输入您的手机号码（11 位）：',
  password: '请设置登录密码（8-64 位，需同时包含字母和数字；发送后消息会被自动删除）：',
  repeat: '请再输入一次密码：',
};

/** Steps whose answer is a secret (the web chat hides what is typed). */
const SECRET_STEPS = new Set<Step>(['code', 'password', 'repeat']);

const ask = (state: State, lead?: string): Result => ({
  replies: [{ text: lead ? `${lead}\n${PROMPTS[state.step]}` : PROMPTS[state.step], inputHint: SECRET_STEPS.has(state.step) ? 'password' : undefined }],
  next: state,
});

/** Runs the registration and logs the chat in as the new admin. */
async function finish(ctx: FlowContext, state: State, password?: string): Promise<Result> {
  const { channel, userId, chatId, personId } = ctx.actor;
  const base = { orgId: state.orgId!, code: ctx.open(state.code!), clientKey: `${channel}:${userId}` };
  try {
    const { person, org } = personId
      ? await ctx.services.adminRegistration.registerAdmin({ ...base, personId })
      : await ctx.services.adminRegistration.registerAdmin({
          ...base,
          idNumber: ctx.open(state.id!),
          name: state.name!,
          joinedLeagueAt: state.joined!,
          phone: state.phone!,
          password: password!,
        });
    await ctx.services.bindings.bind(channel, userId, chatId, person.id);
    ctx.actor.personId = person.id;
    await ctx.io.setMenu('admin');
    const text = `注册成功！${person.name}，您已成为“${org.fullName}”的组织管理员，并已登录。\n账号为您的身份证号码（${person.idMasked}）。\n可发送 /admin_code 查看本组织的管理员注册码，/add_member 添加团员团干部。`;
    return { replies: [{ text, choices: menuButtons('admin') }] };
  } catch (err) {
    // The code may have been changed meanwhile: ask for it again, keeping everything typed.
    if (isUserError(err) && err.code.startsWith('ADMIN_CODE')) return ask({ ...state, step: 'code', pw: undefined }, userErrorText(err));
    if (isUserError(err)) return { replies: [{ text: userErrorText(err) }] };
    throw err;
  }
}

async function search(ctx: FlowContext, query: string): Promise<Result> {
  const orgs = await ctx.services.organisations.search(query, { limit: 8 });
  if (!orgs.length) return { replies: [noResults(query)], next: { step: 'search' } };
  return { replies: [await orgResultsReply(ctx, orgs, false)], next: { step: 'pick', query } };
}

async function pick(ctx: FlowContext, state: State, event: FlowEvent): Promise<Result> {
  if (event.type === 'text') return search(ctx, event.text);
  if (event.type === 'choice' && event.value === SHOW_FULL && state.query) {
    const orgs = await ctx.services.organisations.search(state.query, { limit: 8 });
    return { replies: [await orgResultsReply(ctx, orgs, true)], next: state };
  }
  const orgId = pickedOrgId(event);
  const org = orgId ? await ctx.services.organisations.get(orgId) : null;
  if (!org) return ask(state);
  await ctx.services.adminRegistration.requireRoom(org.id, ctx.actor.personId);
  return ask({ step: 'code', orgId: org.id }, `已选择：${org.fullName}`);
}

/** Handles one typed value of the identity and profile steps. */
async function profileStep(ctx: FlowContext, state: State, text: string): Promise<Result> {
  const now = ctx.services.deps.now();
  switch (state.step) {
    case 'code': {
      await ctx.io.deleteUserMessage();
      const { channel, userId } = ctx.actor;
      await ctx.services.adminCodes.verify(state.orgId!, text, `${channel}:${userId}`);
      const next: State = { ...state, step: 'id', code: ctx.seal(text.trim()) };
      if (ctx.actor.personId) return finish(ctx, next);
      // Back here after the code changed mid-way: what was typed is kept, only the password is asked again.
      if (state.phone) return ask({ ...next, step: 'password' }, '注册码正确。');
      return ask(next, '注册码正确。');
    }
    case 'id': {
      const id = ctx.services.accounts.requireIdNumber(text);
      if (await ctx.services.accounts.findByIdNumber(id.value)) {
        return { replies: [{ text: ADMIN_DUPLICATE_MESSAGE, choices: [[button('登录', '/login')]] }] };
      }
      if (ageOn(id.birthDate, now) < EARLY_JOIN_MIN_AGE) return { replies: [{ text: adminAgeProblem(id.birthDate, null, now)! }] };
      return ask({ ...state, step: 'name', id: ctx.seal(id.value), birthDate: id.birthDate });
    }
    case 'name': {
      const name = parseName(text.trim() || null);
      return name.ok ? ask({ ...state, step: 'joined', name: name.value }) : ask(state, name.message);
    }
    case 'joined': {
      const joined = parseDate(text.trim() || null, { label: '入团时间', today: todayInChina(now), min: state.birthDate });
      if (!joined.ok) return ask(state, joined.message);
      const tooYoung = adminAgeProblem(state.birthDate!, joined.value, now);
      if (tooYoung) return { replies: [{ text: tooYoung }] };
      return ask({ ...state, step: 'phone', joined: joined.value });
    }
    case 'phone': {
      const phone = parsePhone(text.trim() || null);
      return phone.ok ? ask({ ...state, step: 'password', phone: phone.value }) : ask(state, phone.message);
    }
    case 'password': {
      await ctx.io.deleteUserMessage();
      const weak = checkNewPassword(text, ctx.open(state.id!));
      return weak ? ask(state, `${weak}。`) : ask({ ...state, step: 'repeat', pw: ctx.seal(text) });
    }
    default: {
      await ctx.io.deleteUserMessage();
      if (ctx.open(state.pw!) !== text) return ask({ ...state, step: 'password', pw: undefined }, '两次输入的密码不一致。');
      return finish(ctx, state, text);
    }
  }
}

/**
 * /register_admin (管理员注册, R6): pick the organisation by name, type its admin code,
 * then (without an account) ID number, name, 入团时间, phone and a password typed twice.
 * A logged-in user registers with their own account right after the code.
 */
export const registerAdminFlow: Flow<State> = {
  name: 'register-admin',
  version: 1,
  commands: ['register_admin'],
  privateOnly: true,
  async start(ctx, args) {
    const intro = ctx.actor.personId
      ? '管理员注册：您已登录，将用当前账号注册为所选组织的管理员（每个团组织最多两位管理员）。'
      : '管理员注册：适用于上级组织指定的组织管理员（每个团组织最多两位，需年满 14 周岁）。随时发送 /cancel 取消。';
    if (args.trim()) {
      const found = await search(ctx, args.trim());
      return { ...found, replies: [{ text: intro }, ...found.replies] };
    }
    return ask({ step: 'search' }, intro);
  },
  async step(ctx, state, event) {
    if (state.step === 'search') return event.type === 'text' ? search(ctx, event.text) : ask(state);
    if (state.step === 'pick') return pick(ctx, state, event);
    if (event.type !== 'text') return ask(state, '请直接输入文字。');
    return profileStep(ctx, state, event.text);
  },
};
