import { checkNewPassword } from '../../server/services/accounts/accounts';
import { menuButtons, menuKindOf } from '../engine/menu';
import type { Flow } from '../engine/types';

type State = { step: 'old' } | { step: 'new'; required: boolean } | { step: 'repeat'; sealedNew: string; required: boolean };

const ASK_NEW = '请输入新密码（8-64 位，需同时包含字母和数字；发送后消息会被自动删除）：';

/**
 * /password: change the password. Started with `required` right after a login with R3's
 * initial password, when the old password was just given and every other command waits.
 */
export const changePasswordFlow: Flow<State> = {
  name: 'change-password',
  version: 1,
  commands: ['password'],
  requiresLogin: true,
  privateOnly: true,
  async start(_ctx, args) {
    if (args === 'required') {
      return {
        replies: [{ text: `您正在使用初始密码（身份证号码后 8 位），为了账号安全，请先设置新密码。\n${ASK_NEW}`, inputHint: 'password' }],
        next: { step: 'new', required: true },
      };
    }
    return { replies: [{ text: '请输入当前密码（发送后消息会被自动删除）：', inputHint: 'password' }], next: { step: 'old' } };
  },
  async step(ctx, state, event) {
    if (event.type !== 'text') return { replies: [{ text: '请直接输入密码文字。', inputHint: 'password' }], next: state };
    await ctx.io.deleteUserMessage();
    const { accounts } = ctx.services;
    const person = await accounts.require(ctx.actor.personId!);
    if (state.step === 'old') {
      if (!(await accounts.checkPassword(person, event.text)))
        return { replies: [{ text: '当前密码不正确，请重新输入，或发送 /cancel 取消：', inputHint: 'password' }], next: state };
      return { replies: [{ text: ASK_NEW, inputHint: 'password' }], next: { step: 'new', required: false } };
    }
    if (state.step === 'new') {
      const problem = checkNewPassword(event.text, accounts.idNumberOf(person));
      if (problem) return { replies: [{ text: `${problem}，请重新输入：`, inputHint: 'password' }], next: state };
      return {
        replies: [{ text: '请再输入一次新密码：', inputHint: 'password' }],
        next: { step: 'repeat', sealedNew: ctx.seal(event.text), required: state.required },
      };
    }
    if (ctx.open(state.sealedNew) !== event.text) {
      return { replies: [{ text: `两次输入的密码不一致。${ASK_NEW}`, inputHint: 'password' }], next: { step: 'new', required: state.required } };
    }
    const ended = await accounts.changePassword(person.id, event.text, { channel: ctx.actor.channel, userId: ctx.actor.userId });
    const kind = await menuKindOf(ctx);
    const others = ended ? `您在其他 ${ended} 个聊天中的登录已退出。` : '';
    return { replies: [{ text: `密码已修改，请牢记新密码。${others}`, choices: menuButtons(kind) }] };
  },
};
