import { isUserError } from '../server/errors';
import { menuButtons, menuKindOf } from './menu';
import type { Flow } from './types';

type LoginState = { step: 'id' } | { step: 'password'; sealedId: string };


/** /login: ID number, then password (both messages deleted), then the chat is bound to the account. */
export const loginFlow: Flow<LoginState> = {
  name: 'login',
  version: 1,
  commands: ['login'],
  privateOnly: true,
  async start(ctx) {
    if (ctx.actor.personId) {
      const person = await ctx.services.accounts.get(ctx.actor.personId);
      return { replies: [{ text: `您已登录为 ${person?.name ?? ''}。如需切换账号，请先发送 /logout。` }] };
    }
    return { replies: [{ text: '请输入您的身份证号码（18 位，最后一位可以是 X；发送后，这条消息会被自动删除）：\n（随时发送 /cancel 取消）' }], next: { step: 'id' } };
  },
  async step(ctx, state, event) {
    if (event.type !== 'text') return { replies: [{ text: state.step === 'id' ? '请直接输入身份证号码。' : '请直接输入密码。' }], next: state };
    if (state.step === 'id') {
      // The ID number is personal data: it does not stay visible in the chat either.
      await ctx.io.deleteUserMessage();
      const id = ctx.services.accounts.requireIdNumber(event.text);
      return { replies: [{ text: '请输入密码（发送后，这条消息会被自动删除）：' }], next: { step: 'password', sealedId: ctx.seal(id.value) } };
    }
    await ctx.io.deleteUserMessage();
    const { channel, userId, chatId } = ctx.actor;
    try {
      const person = await ctx.services.accounts.login(ctx.open(state.sealedId), event.text, `${channel}:${userId}`);
      await ctx.services.bindings.bind(channel, userId, chatId, person.id);
      ctx.actor.personId = person.id;
      const kind = await menuKindOf(ctx);
      await ctx.io.setMenu(kind);
      if (person.mustChangePassword) {
        return {
          replies: [{ text: `登录成功，${person.name}。` }],
          then: { flow: 'change-password', args: 'required' },
        };
      }
      return { replies: [{ text: `登录成功，${person.name}，欢迎回来！`, choices: menuButtons(kind) }] };
    } catch (err) {
      if (isUserError(err) && err.code === 'LOGIN_FAILED') {
        return { replies: [{ text: `${err.message}\n请重新输入身份证号码，或发送 /cancel 取消：` }], next: { step: 'id' } };
      }
      throw err;
    }
  },
};
