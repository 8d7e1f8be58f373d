import { addAuditLabels } from '../audit/audit';
import type { Flow } from '../engine/types';
import { button } from '../engine/types';

addAuditLabels({ 'account.password_reset': '重置密码' });

type State = { step: 'find' } | { step: 'confirm'; personId: number };

const PICK = 'reset:';
const CONFIRM = 'reset:yes';

/**
 * /reset_password: an admin resets the password of someone in its subtree who forgot it,
 * found by name or ID number and confirmed with the masked ID number. The account goes back
 * to the initial password (the last 8 characters of the ID number), to be changed at the next
 * login; the person's chats are logged out and the person is told.
 */
export const resetPasswordFlow: Flow<State> = {
  name: 'reset-password',
  version: 1,
  commands: ['reset_password'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    if (!(await ctx.services.admins.isAdmin(ctx.actor.personId!)))
      return { replies: [{ text: '只有组织管理员可以重置他人的密码。忘记自己的密码请联系所在组织的管理员。' }] };
    return {
      replies: [{ text: '请输入要重置密码的人的姓名或身份证号码（只能是您管理的组织及其下级组织的团员、团干部）；发送 /cancel 取消。' }],
      next: { step: 'find' },
    };
  },
  async step(ctx, state, event) {
    const me = ctx.actor.personId!;
    const { passwordResets } = ctx.services;
    if (event.type === 'choice' && event.value.startsWith(PICK) && event.value !== CONFIRM) {
      const target = await passwordResets.requireResettable(me, Number(event.value.slice(PICK.length)));
      return {
        replies: [
          {
            text: `确认重置 ${target.name}（身份证号码 ${target.idMasked}${target.orgName ? `，${target.orgName}` : ''}）的密码吗？\n重置后密码为身份证号码后 8 位，对方下次登录时须修改；对方在各聊天中的登录将退出，并会收到通知。`,
            choices: [[button('确认重置', CONFIRM), button('取消', '/cancel')]],
          },
        ],
        next: { step: 'confirm', personId: target.id },
      };
    }
    if (state.step === 'confirm' && event.type === 'choice' && event.value === CONFIRM) {
      const { person, loggedOut } = await passwordResets.reset(me, state.personId);
      const chats = loggedOut ? `对方在 ${loggedOut} 个聊天中的登录已退出。` : '';
      return {
        replies: [
          {
            text: `✅ 已把 ${person.name}（${person.idMasked}）的密码重置为初始密码（身份证号码后 8 位）。${chats}已通知对方，下次登录时须设置新密码。此操作已记入操作记录。`,
          },
        ],
      };
    }
    if (event.type !== 'text') return { replies: [{ text: '请输入要重置密码的人的姓名或身份证号码，或发送 /cancel 取消。' }], next: { step: 'find' } };
    // A typed ID number is personal data: it does not stay in the chat.
    if (/\d{6}/.test(event.text)) await ctx.io.deleteUserMessage();
    const found = await passwordResets.find(me, event.text);
    if (!found.length)
      return {
        replies: [{ text: '在您管理的组织及其下级组织中没有找到这个人（姓名须完整，或输入 18 位身份证号码）。请重新输入，或发送 /cancel 取消。' }],
        next: { step: 'find' },
      };
    return {
      replies: [
        {
          text: `找到 ${found.length} 人，请点击要重置密码的人：`,
          choices: found.map((p) => [button(`${p.name} ${p.idMasked}${p.orgName ? ` ${p.orgName.slice(-12)}` : ''}`, `${PICK}${p.id}`)]),
        },
      ],
      next: { step: 'find' },
    };
  },
};
