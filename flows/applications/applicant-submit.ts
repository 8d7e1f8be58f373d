/** What the three ways in (R8, R9, R9a) share around the form: how it begins, and what follows a submission. */
import type { ApplicationKind } from '../../models/Application';
import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { APPLICATION_KIND_LABELS } from '../../server/services/applications/application-stages';
import type { Submitted } from '../../server/services/applications/applications';
import { maskIdNumber } from '../../server/lib/id-number';
import type { FormSpec, FormValues } from '../engine/form';
import { menuButtons } from '../engine/menu';
import type { FlowContext, Reply } from '../engine/types';

/** Answers an existing account already holds: `_existing` makes the identity and password questions skip. */
export const isExisting = (v: FormValues): boolean => v._existing === '1';

/**
 * How a form of this kind begins. A guest starts from nothing. A logged-in user already has an
 * account (R4): they may apply again from it only when it is in no branch and nothing is
 * waiting (after a rejection); otherwise they are told why not.
 */
export function beginFor(kind: ApplicationKind): NonNullable<FormSpec['begin']> {
  return async (ctx) => {
    if (!ctx.actor.personId) return null;
    try {
      const person = await ctx.services.applications.requireReapply(ctx.actor.personId, kind);
      return {
        values: { _existing: '1', _idMasked: person.idMasked, _name: person.name, _joined: person.joinedLeagueAt ?? '' },
        intro: `【${APPLICATION_KIND_LABELS[kind]}】您已登录（${person.name}），账号尚未归属团支部，可以重新提交申请；身份信息和密码无需再填。`,
      };
    } catch (err) {
      if (isUserError(err)) return { refuse: [{ text: userErrorText(err) }] };
      throw err;
    }
  };
}

/** Summary lines every form shows: the ID number masked, never whole. */
export function identityLines(ctx: FlowContext, v: FormValues): string[] {
  return [`身份证号码：${v._idMasked ?? maskIdNumber(ctx.open(v.id))}`, `姓名：${v._name ?? v.name}`];
}

/**
 * After a submission: the chat is logged in as the account (so the outcome reaches it), and
 * the applicant is told what happens next.
 */
export async function afterSubmit(ctx: FlowContext, result: Submitted, what: string, existing: boolean): Promise<Reply[]> {
  const { channel, userId, chatId } = ctx.actor;
  await ctx.services.bindings.bind(channel, userId, chatId, result.person.id);
  ctx.actor.personId = result.person.id;
  await ctx.io.setMenu('member');
  const lines = [`${what}已提交（编号 ${result.app.id}），等待“${result.org.fullName}”的管理员审核。`];
  if (!existing) lines.push(`已为您创建账号并登录：账号为身份证号码（${result.person.idMasked}），密码为您刚才设置的密码。`);
  lines.push('审核结果会通过消息通知您，也可以随时发送 /status 查看进度。');
  if (!result.notifiedAdmins) lines.push('提示：该团支部及其上级组织暂时还没有管理员，审核可能需要较长时间，建议同时联系该团支部。');
  return [{ text: lines.join('\n'), choices: menuButtons('member') }];
}
