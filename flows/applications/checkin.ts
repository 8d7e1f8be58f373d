import { branchField, homeOrgField, idField, joinedField, nameField, passwordFields, phoneField } from './applicant-fields';
import { afterSubmit, beginFor, identityLines, isExisting } from './applicant-submit';
import { formFlow } from '../engine/form';

/**
 * /checkin, 流动团员报到 (R9a): a member away from home, not yet in the system, reports to a
 * local branch. ID number, name, 入团时间, 团籍所在地 (matched by full name when it exists),
 * the local branch, phone, password twice. The local admin confirms; both organisations are kept.
 */
export const checkinFlow = formFlow({
  name: 'checkin',
  version: 1,
  commands: ['checkin'],
  intro: '【流动团员报到】适用于离开团籍所在地、尚未在系统中注册的团员，向现在所在地的团支部报到。',
  begin: beginFor('flow_checkin'),
  fields: [idField(), nameField, joinedField(), homeOrgField, branchField('请输入您现在所在地要报到的团支部名称：'), phoneField, ...passwordFields],
  summary: (ctx, v) =>
    [
      ...identityLines(ctx, v),
      `入团时间：${v.joined ?? v._joined}`,
      `团籍所在地：${v.homeOrgName}`,
      `报到团支部：${v.branchName}`,
      ...(isExisting(v) ? [] : [`手机号码：${v.phone}`, '登录密码：已设置']),
    ].join('\n'),
  async submit(ctx, v) {
    const result = isExisting(v)
      ? await ctx.services.applications.reapply(ctx.actor.personId!, { kind: 'flow_checkin', branchId: Number(v.branchId), homeOrgName: v.homeOrgName })
      : await ctx.services.applications.checkIn({
          idNumber: ctx.open(v.id),
          name: v.name,
          joinedLeagueAt: v.joined,
          homeOrgName: v.homeOrgName,
          branchId: Number(v.branchId),
          phone: v.phone,
          password: ctx.open(v.password),
        });
    return afterSubmit(ctx, result, '报到申请', isExisting(v));
  },
});
