/** What the three ways in (R8, R9, R9a) share around the form: who may start, and what follows a submission. */
import type { Submitted } from '../server/services/applications';
import { maskIdNumber } from '../server/services/id-number';
import type { FormValues } from './form';
import { menuButtons } from './menu';
import type { FlowContext, Reply } from './types';

/** R4: a logged-in user already has an account. */
export async function refuseWhenLoggedIn(ctx: FlowContext): Promise<Reply[] | null> {
  if (!ctx.actor.personId) return null;
  const person = await ctx.services.accounts.get(ctx.actor.personId);
  return [
    {
      text: `您已登录（${person?.name ?? ''}），已有账号，不能重复注册。查看申请进度请发送 /status；如需为其他人办理，请先发送 /logout 退出登录。`,
    },
  ];
}

/** Summary lines every form shows: the ID number masked, never whole. */
export function identityLines(ctx: FlowContext, values: FormValues): string[] {
  return [`身份证号码：${maskIdNumber(ctx.open(values.id))}`, `姓名：${values.name}`];
}

/**
 * After a submission: the chat is logged in as the new account (so the outcome reaches it),
 * and the applicant is told what happens next.
 */
export async function afterSubmit(ctx: FlowContext, result: Submitted, what: string): Promise<Reply[]> {
  const { channel, userId, chatId } = ctx.actor;
  await ctx.services.bindings.bind(channel, userId, chatId, result.person.id);
  ctx.actor.personId = result.person.id;
  await ctx.io.setMenu('member');
  const lines = [
    `${what}已提交（编号 ${result.app.id}），等待“${result.org.fullName}”的管理员审核。`,
    `已为您创建账号并登录：账号为身份证号码（${result.person.idMasked}），密码为您刚才设置的密码。`,
    '审核结果会通过消息通知您，也可以随时发送 /status 查看进度。',
  ];
  if (!result.notifiedAdmins) lines.push('提示：该团支部及其上级组织暂时还没有管理员，审核可能需要较长时间，建议同时联系该团支部。');
  return [{ text: lines.join('\n'), choices: menuButtons('member') }];
}
