/**
 * The questions the three ways in (R8, R9, R9a) share, as form fields. Each checks its
 * answer with the same service function the service uses again before writing.
 */
import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { requireJoinedDate, requireName, requirePassword, requirePhone } from '../../server/services/applications/applicant-input';
import { requireHomeOrgName } from '../../server/services/applications/mobile-member-checkin';
import { requireJoinAge, requireStatement } from '../../server/services/applications/join-applications';
import { isExisting } from './applicant-submit';
import type { FieldOutcome, FormField, FormValues } from '../engine/form';
import { textOf } from '../engine/form';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { FlowContext, FlowEvent } from '../engine/types';
import { button } from '../engine/types';

const PASSWORD_RULE = '8-64 位，需同时包含字母和数字，不能是身份证号码后 8 位';

/** A text question checked by `check` (which throws a UserError to ask again). */
function textField(key: string, prompt: string, check: (text: string, ctx: FlowContext, values: FormValues) => string, what?: string): FormField {
  return {
    key,
    ask: () => ({ text: prompt }),
    take: async (ctx, event, values) => ({ value: check(textOf(event, what), ctx, values) }),
  };
}

/**
 * 身份证号码 (R1), refused at once when it already has an account (R4, with the way out).
 * With `joinAge`, R9's age range is checked from the birth date too.
 */
export function idField(opts: { joinAge?: boolean } = {}): FormField {
  return {
    key: 'id',
    sealed: true,
    skip: isExisting,
    ask: () => ({ text: '请输入您的身份证号码（18 位，最后一位可以是 X）：' }),
    async take(ctx, event): Promise<FieldOutcome> {
      const text = textOf(event, '身份证号码');
      try {
        const id = await ctx.services.applications.requireNewIdNumber(text);
        if (opts.joinAge) requireJoinAge(id.birthDate, ctx.services.deps.now());
        return { value: id.value, also: { birthDate: id.birthDate } };
      } catch (err) {
        if (isUserError(err) && ['DUPLICATE_ACCOUNT', 'TOO_YOUNG', 'TOO_OLD'].includes(err.code)) {
          const choices = err.code === 'DUPLICATE_ACCOUNT' ? [[button('去登录', '/login')]] : undefined;
          return { stop: [{ text: userErrorText(err), choices }] };
        }
        throw err;
      }
    },
  };
}

/** Name and phone are asked of new accounts only (an existing one keeps its own). */
export const nameField: FormField = { ...textField('name', '请输入您的姓名（与身份证一致）：', (t) => requireName(t), '姓名'), skip: isExisting };

export const phoneField: FormField = { ...textField('phone', '请输入您的手机号码（11 位）：', (t) => requirePhone(t), '手机号码'), skip: isExisting };

/** 入团时间; `refuseFrom` ends the conversation for a day on or after it (R8's 2020-01-01). */
export function joinedField(refuse?: { from: string; message: string }): FormField {
  return {
    key: 'joined',
    skip: isExisting,
    ask: () => ({ text: '请输入您的入团时间（如 2016-09-01）：' }),
    async take(ctx, event, values) {
      const day = requireJoinedDate(textOf(event, '入团时间'), values.birthDate, ctx.services.deps.now());
      if (refuse && day >= refuse.from) return { stop: [{ text: refuse.message }] };
      return { value: day };
    },
  };
}

/** 团员 or 团干部, by button (the words typed are accepted too). */
export const roleField: FormField = {
  key: 'role',
  ask: () => ({ text: '请选择您的身份：', choices: [[button('团员', 'role:member'), button('团干部', 'role:cadre')]] }),
  async take(_ctx, event) {
    const said = event.type === 'choice' ? event.value : event.type === 'text' ? event.text.trim() : '';
    if (said === 'role:member' || said === '团员') return { value: 'member' };
    if (said === 'role:cadre' || said === '团干部') return { value: 'cadre' };
    return { retry: { text: '请点击按钮选择“团员”或“团干部”：', choices: [[button('团员', 'role:member'), button('团干部', 'role:cadre')]] } };
  },
};

/** A branch (团支部) found by name: type words, pick a button; typing again searches again. */
export function branchField(prompt: string): FormField {
  return {
    key: 'branchId',
    ask: () => ({ text: `${prompt}\n（输入组织全称或其中几个字，我来帮您查找）` }),
    async take(ctx, event: FlowEvent, values): Promise<FieldOutcome> {
      const picked = pickedOrgId(event);
      if (picked) {
        const org = await ctx.services.applications.requireBranch(picked);
        return { value: String(org.id), also: { branchName: org.fullName }, note: `已选择：${org.fullName}` };
      }
      const full = event.type === 'choice' && event.value === SHOW_FULL;
      const query = full ? values.branchQuery : textOf(event, '团支部名称');
      if (!query?.trim()) return { retry: { text: `请输入团支部名称中的几个字：` } };
      const orgs = await ctx.services.organisations.search(query, { kind: 'branch', limit: 8 });
      if (!orgs.length) return { retry: noResults(query), also: { branchQuery: query } };
      return { retry: await orgResultsReply(ctx, orgs, full), also: { branchQuery: query } };
    },
  };
}

/** 团籍所在地 as typed; matched to an organisation by full name when it exists (R11). */
export const homeOrgField: FormField = {
  key: 'homeOrgName',
  ask: () => ({ text: '请输入您的团籍所在地，即您的组织关系所在团组织的全称（如“共青团某某县某某中学委员会”）：' }),
  async take(ctx, event) {
    const name = requireHomeOrgName(textOf(event, '组织全称'));
    const home = await ctx.services.organisations.findByFullName(name);
    const note = home ? `已在系统中找到该组织：${home.fullName}` : '系统中暂未找到该组织，将按您填写的名称记录，由报到的团支部核实。';
    return { value: name, note };
  },
};

export const statementField = textField('statement', '请简要写下您的入团动机（5-500 字）：', (t) => requireStatement(t), '入团动机');

/** Password, typed twice; both messages are deleted. */
export const passwordFields: FormField[] = [
  {
    key: 'password',
    sealed: true,
    deleteMessage: true,
    skip: isExisting,
    ask: () => ({ text: `请设置登录密码（${PASSWORD_RULE}；发送后消息会被自动删除）：`, inputHint: 'password' }),
    take: async (ctx, event, values) => ({ value: requirePassword(textOf(event, '密码'), ctx.open(values.id)) }),
  },
  {
    key: 'repeat',
    deleteMessage: true,
    skip: isExisting,
    ask: () => ({ text: '请再输入一次密码：', inputHint: 'password' }),
    async take(ctx, event, values) {
      if (textOf(event, '密码') !== ctx.open(values.password)) return { back: 'password', note: '两次输入的密码不一致，请重新设置。' };
      return { value: 'ok' };
    },
  },
];
