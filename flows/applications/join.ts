import { JOIN_MAX_AGE, JOIN_MIN_AGE } from '../../server/services/applications/join-applications';
import { branchField, idField, nameField, passwordFields, phoneField, statementField } from './applicant-fields';
import { afterSubmit, beginFor, identityLines, isExisting } from './applicant-submit';
import { formFlow } from '../engine/form';

/**
 * /join, 我要入团 (R9): a young person aged 14-28 applies to a branch of their choice with a
 * short statement of motivation; the account is an applicant's until admitted. The branch's
 * admin moves the application through its stages; /status shows them.
 */
export const joinFlow = formFlow({
  name: 'join',
  version: 1,
  commands: ['join'],
  intro: `【我要入团】适用于年满 ${JOIN_MIN_AGE} 周岁、不超过 ${JOIN_MAX_AGE} 周岁、志愿加入中国共产主义青年团的青年。申请会提交给您选择的团支部。`,
  begin: beginFor('join'),
  fields: [
    idField({ joinAge: true }),
    nameField,
    phoneField,
    branchField('请输入您希望申请加入的团支部名称（如所在学校、班级或单位的团支部）：'),
    statementField,
    ...passwordFields,
  ],
  summary: (ctx, v) =>
    [
      ...identityLines(ctx, v),
      ...(isExisting(v) ? [] : [`手机号码：${v.phone}`]),
      `申请加入：${v.branchName}`,
      `入团动机：${v.statement}`,
      ...(isExisting(v) ? [] : ['登录密码：已设置']),
    ].join('\n'),
  async submit(ctx, v) {
    const result = isExisting(v)
      ? await ctx.services.applications.reapply(ctx.actor.personId!, { kind: 'join', branchId: Number(v.branchId), statement: v.statement })
      : await ctx.services.applications.applyToJoin({
          idNumber: ctx.open(v.id),
          name: v.name,
          phone: v.phone,
          branchId: Number(v.branchId),
          statement: v.statement,
          password: ctx.open(v.password),
        });
    return afterSubmit(ctx, result, '入团申请', isExisting(v));
  },
});
