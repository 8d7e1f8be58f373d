import { JOINED_TOO_RECENTLY_MESSAGE, SELF_REGISTRATION_CUTOFF } from '../../server/services/applications/self-registration';
import { branchField, idField, joinedField, nameField, passwordFields, phoneField, roleField } from './applicant-fields';
import { afterSubmit, beginFor, identityLines, isExisting } from './applicant-submit';
import { formFlow } from '../engine/form';

/**
 * /register, 团员团干部注册 (R8): for members and cadres no admin has added yet. ID number,
 * name, 入团时间 (on or after 2020-01-01: the branch must add them, R7), role, branch, phone,
 * password twice. The account waits with no branch until the branch's admin approves.
 */
export const registerMemberFlow = formFlow({
  name: 'register-member',
  version: 1,
  commands: ['register'],
  intro:
    '【团员团干部注册】适用于组织管理员尚未把您添加到系统中的团员、团干部。\n' +
    '如果您的团支部已经添加了您，请直接发送 /login 登录（初始密码为身份证号码后 8 位）。',
  begin: beginFor('self_registration'),
  fields: [
    idField(),
    nameField,
    joinedField({ from: SELF_REGISTRATION_CUTOFF, message: JOINED_TOO_RECENTLY_MESSAGE }),
    roleField,
    branchField('请输入您所在团支部的名称：'),
    phoneField,
    ...passwordFields,
  ],
  summary: (ctx, v) =>
    [
      ...identityLines(ctx, v),
      `入团时间：${v.joined ?? v._joined}`,
      `身份：${v.role === 'cadre' ? '团干部' : '团员'}`,
      `所在团支部：${v.branchName}`,
      ...(isExisting(v) ? [] : [`手机号码：${v.phone}`, '登录密码：已设置']),
    ].join('\n'),
  async submit(ctx, v) {
    const role = v.role === 'cadre' ? 'cadre' : 'member';
    const result = isExisting(v)
      ? await ctx.services.applications.reapply(ctx.actor.personId!, { kind: 'self_registration', branchId: Number(v.branchId), role })
      : await ctx.services.applications.registerMember({
          idNumber: ctx.open(v.id),
          name: v.name,
          joinedLeagueAt: v.joined,
          role,
          branchId: Number(v.branchId),
          phone: v.phone,
          password: ctx.open(v.password),
        });
    return afterSubmit(ctx, result, '注册申请', isExisting(v));
  },
});
