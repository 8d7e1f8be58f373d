import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { menuFor, menuKindOf, waitingLines } from '../engine/menu';
import type { Flow } from '../engine/types';
import { button } from '../engine/types';

/** A flow to go on with once logged in (a sign-in begun before login): only those listed. */
interface Then {
  flow: string;
  args: string;
}
type LoginState = ({ step: 'id' } | { step: 'password'; sealedId: string }) & { then?: Then };

const THEN_FLOWS = ['signin'];

/** `then <flow> <args>`: what to do after logging in, when another flow sent the user here. */
function thenOf(args: string): Then | undefined {
  const m = /^then (\S+) (\S{1,64})$/.exec(args.trim());
  return m && THEN_FLOWS.includes(m[1]) ? { flow: m[1], args: m[2] } : undefined;
}

/** The button that goes back from the password to the ID number. */
const OTHER_ID = 'login:id';
const ASK_ID = '请输入您的身份证号码（18 位，最后一位可以是 X；发送后，这条消息会被自动删除）：\n（随时发送 /cancel 取消）';
const ASK_PASSWORD = '请输入密码（发送后，这条消息会被自动删除）：';
const otherIdButton = [[button('重新输入身份证号码', OTHER_ID)]];

/**
 * /login: ID number, then password, then the chat is bound to the account. Every message that
 * carries an ID number or a password is deleted, a wrong one too. A wrong password asks for
 * the password again (the ID number is kept); a sticker or a photo is not taken as a try.
 */
export const loginFlow: Flow<LoginState> = {
  name: 'login',
  version: 1,
  commands: ['login'],
  privateOnly: true,
  async start(ctx, args) {
    if (ctx.actor.personId) {
      const person = await ctx.services.accounts.get(ctx.actor.personId);
      return { replies: [{ text: `您已登录为 ${person?.name ?? ''}。如需切换账号，请先发送 /logout。` }] };
    }
    return { replies: [{ text: ASK_ID }], next: { step: 'id', then: thenOf(args) } };
  },
  async step(ctx, state, event) {
    if (event.type === 'choice' && event.value === OTHER_ID) return { replies: [{ text: ASK_ID }], next: { step: 'id', then: state.then } };
    if (event.type !== 'text') {
      const ask = state.step === 'id' ? '请直接输入身份证号码文字。' : '请直接输入密码文字（贴纸、图片等不算输错）。';
      return { replies: [{ text: ask, choices: state.step === 'password' ? otherIdButton : undefined }], next: state };
    }
    // An ID number or a password: neither stays visible in the chat, whichever step it was sent at.
    await ctx.io.deleteUserMessage();
    if (state.step === 'id') {
      const id = ctx.services.accounts.requireIdNumber(event.text);
      return { replies: [{ text: ASK_PASSWORD, inputHint: 'password' }], next: { step: 'password', sealedId: ctx.seal(id.value), then: state.then } };
    }
    const { channel, userId, chatId } = ctx.actor;
    try {
      const person = await ctx.services.accounts.login(ctx.open(state.sealedId), event.text, `${channel}:${userId}`);
      await ctx.services.bindings.bind(channel, userId, chatId, person.id);
      ctx.actor.personId = person.id;
      const kind = await menuKindOf(ctx);
      await ctx.io.setMenu(kind);
      // What the user came for goes first (it asks for the new password itself, as signin does).
      if (state.then) return { replies: [{ text: `登录成功，${person.name}。` }], then: state.then };
      if (person.mustChangePassword) {
        return { replies: [{ text: `登录成功，${person.name}。` }], then: { flow: 'change-password', args: 'required' } };
      }
      const waiting = await waitingLines(ctx);
      return { replies: [{ text: [`登录成功，${person.name}，欢迎回来！`, ...waiting].join('\n'), choices: await menuFor(ctx) }] };
    } catch (err) {
      if (isUserError(err) && (err.code === 'LOGIN_FAILED' || err.code === 'LOGIN_LIMITED')) {
        const again = err.code === 'LOGIN_FAILED' ? '请重新输入密码；' : '';
        return {
          replies: [
            { text: `${userErrorText(err)}\n${again}身份证号码输错了请点下方按钮，或发送 /cancel 取消。`, choices: otherIdButton, inputHint: 'password' },
          ],
          next: state,
        };
      }
      throw err;
    }
  },
};
