import { BUSY_MESSAGE, isBusy, isUserError } from '../../server/errors';
import type { Services } from '../../server/services';
import type { ChatSession, SavedConversation } from '../../server/services/platform/conversations';
import { ChatQueue } from './chat-queue';
import { userErrorText } from './user-errors';
import type { Action, Actor, Flow, FlowContext, FlowEvent, FlowIO, Reply, StepResult } from './types';

/** One update from a channel adapter. */
export interface Inbound {
  actor: Omit<Actor, 'personId'>;
  event: FlowEvent;
  /**
   * What recognises this update when it is delivered again, by its content (Telegram: the chat
   * and message, or the callback query), never the update id alone: ids repeat.
   */
  updateKey?: string;
  /** The channel's update id: the key when there is no `updateKey`. */
  updateId?: string | number;
  io: FlowIO;
  /**
   * Sends the step's replies. Given, they are sent before the chat's next update is handled
   * and before the update counts as handled (a crash before that has it handled again).
   */
  respond?: (replies: Reply[]) => Promise<void>;
}

export const GENERIC_ERROR = '抱歉，系统出了点问题，请稍后再试。如果一直出现，请联系管理员。';
const PRIVATE_ONLY = '此功能涉及个人信息或管理操作，请在与机器人的私聊中使用。';
const NEED_LOGIN = '请先登录：发送 /login，用身份证号码和密码登录。';
const loginExpiredNotice = (days: number) => `您的登录已超过 ${days} 天未使用，已自动退出。如需继续，请发送 /login 重新登录。`;
const STALE_BUTTON = '这个按钮已失效（对话已结束或已更新），请重新开始。发送 /help 查看可用功能。';
/** Control characters (NUL …) no person types; line breaks and tabs stay. A database may choke on them. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function withoutControls(event: FlowEvent): FlowEvent {
  if (event.type === 'text') return { ...event, text: event.text.replace(CONTROLS, '') };
  if (event.type === 'command') return { ...event, args: event.args.replace(CONTROLS, '') };
  return event;
}

/**
 * Flows a user with R3's initial password may still use before changing it. Signing in to an
 * activity in the room does not wait for a new password: the sign-in asks for it right after.
 */
const ALLOWED_BEFORE_CHANGE = new Set(['change-password', 'logout', 'help', 'start', 'cancel', 'signin']);

/**
 * Routes each input to a conversation: loads the chat's saved state, runs one step of
 * its flow, saves the next state. Commands start flows, `!prefix:` buttons run actions.
 */
export class FlowRunner {
  private readonly byCommand = new Map<string, Flow<any>>();
  private readonly byName = new Map<string, Flow<any>>();
  private readonly actions = new Map<string, Action>();
  /** The flow that takes a file sent while no conversation is going on, if one does. */
  private readonly documentFlow: Flow<any> | undefined;
  /** The flow that takes matching text sent while no conversation is going on, if one does. */
  private readonly idleTextFlow: Flow<any> | undefined;
  private readonly chats = new ChatQueue();

  constructor(
    /** The services the flows run on (channels render queued notices with them too). */
    readonly services: Services,
    flows: Flow<any>[],
    actions: Action[],
    private readonly onBug: (err: unknown, inbound: Inbound) => void = () => undefined,
  ) {
    for (const flow of flows) {
      this.byName.set(flow.name, flow);
      for (const c of flow.commands) this.byCommand.set(c, flow);
    }
    for (const a of actions) this.actions.set(a.prefix, a);
    this.documentFlow = flows.find((f) => f.onDocument);
    this.idleTextFlow = flows.find((f) => f.idleText);
  }

  /**
   * Handles one input and returns the replies (none for an update handled already). Inputs of
   * one chat are handled one at a time, in the order this is called, also across processes
   * (see ChatLocks); inputs of different chats side by side.
   */
  handle(inbound: Inbound): Promise<Reply[]> {
    const { channel, chatId } = inbound.actor;
    const key = `${channel}:${chatId}`;
    return this.chats.run(key, () => this.services.chatLocks.run(key, () => this.handleNow(inbound)));
  }

  private async handleNow(inbound: Inbound): Promise<Reply[]> {
    const { services } = this;
    inbound = { ...inbound, event: withoutControls(inbound.event) };
    const { channel, chatId, userId } = inbound.actor;
    const updateKey = inbound.updateKey ?? (inbound.updateId === undefined ? undefined : String(inbound.updateId));
    const recent = updateKey !== undefined && services.updates.isRecent(channel, updateKey);
    const session = recent ? null : await services.conversations.session(channel, chatId, userId, updateKey);
    if (!session || session.handled) {
      services.deps.logger.info({ channel, update: updateKey }, 'redelivered update skipped: it was handled already');
      return [];
    }
    if (session.chatBlocked) await services.outbox.unblock(channel, chatId);
    const ctx: FlowContext = {
      services,
      actor: { ...inbound.actor, personId: session.person?.id ?? null },
      person: session.person,
      io: inbound.io,
      updateId: updateKey,
      seal: (v) => services.deps.vault.encrypt(v),
      open: (s) => services.deps.vault.decrypt(s),
    };
    let replies: Reply[];
    try {
      replies = await this.route(ctx, session, inbound.event);
      if (session.loginExpired) {
        await services.bindings.unbind(channel, userId);
        replies = [{ text: loginExpiredNotice(Math.round(services.deps.loginIdleMs / 86_400_000)) }, ...replies];
      }
    } catch (err) {
      if (isUserError(err)) replies = [{ text: userErrorText(err) }];
      else if (isBusy(err)) {
        // A wait ran out under load: not a bug, and nothing was saved; the user may try again.
        services.deps.logger.warn({ err: (err as Error).message, channel }, 'update answered busy');
        replies = [{ text: BUSY_MESSAGE }];
      } else {
        this.onBug(err, inbound);
        replies = [{ text: GENERIC_ERROR }];
      }
    }
    await inbound.respond?.(replies);
    if (updateKey !== undefined) {
      // Written at once (the window for a kill -9 to have this answer sent twice); another
      // process may be waiting for this chat: it must find the mark when it gets the chat.
      const marked = services.updates.markDone(channel, updateKey);
      if (services.chatLocks.shared) await marked;
    }
    services.deps.metrics.updatesHandled.inc({ channel });
    return replies;
  }

  private async route(ctx: FlowContext, session: ChatSession, event: FlowEvent): Promise<Reply[]> {
    const saved = session.conversation;
    if (event.type === 'choice' && event.value.startsWith('!')) return this.runAction(ctx, event.value.slice(1));
    if (event.type === 'choice' && event.value.startsWith('/')) {
      const [name, ...rest] = event.value.slice(1).split(' ');
      return this.route(ctx, session, { type: 'command', name, args: rest.join(' ') });
    }
    if (event.type === 'command') {
      if (event.name === 'cancel') {
        await this.end(ctx, saved);
        return [{ text: saved ? '已取消当前操作。发送 /help 查看可用功能。' : '当前没有进行中的操作。发送 /help 查看可用功能。' }];
      }
      const flow = this.byCommand.get(event.name);
      if (!flow) return [{ text: `没有 /${event.name} 这个命令。发送 /help 查看可用功能。` }];
      return this.run(ctx, session, flow, (c) => flow.start(c, event.args));
    }
    // A button's label typed rather than tapped (跳过, 提交, 确认…) is the press.
    const pressed = event.type === 'text' && saved?.buttons ? pressOf(saved.buttons, event.text.trim()) : undefined;
    if (pressed) return this.route(ctx, session, { type: 'choice', value: pressed });
    const flow = saved && this.byName.get(saved.flow);
    if (!saved || !flow || !flow.step || saved.version !== flow.version) {
      await this.end(ctx, saved);
      if (event.type === 'choice') return [{ text: STALE_BUTTON }];
      const byDocument = this.documentFlow;
      if (byDocument && event.type === 'document')
        return this.run(ctx, { ...session, conversation: null }, byDocument, (c) => byDocument.onDocument!(c, event.file));
      const byText = this.idleTextFlow;
      const text = event.type === 'text' ? event.text.trim() : '';
      if (byText && byText.idleText!.test(text)) return this.run(ctx, { ...session, conversation: null }, byText, (c) => byText.start(c, text));
      return [{ text: '您好！请发送 /start 开始，或 /help 查看可用功能。' }];
    }
    return this.run(ctx, session, flow, (c) => flow.step!(c, saved.state, event));
  }

  /** Runs one step of `flow` and saves where the conversation stands (a new flow replaces the old). */
  private async run(ctx: FlowContext, session: ChatSession, flow: Flow<any>, body: (ctx: FlowContext) => Promise<StepResult<unknown>>): Promise<Reply[]> {
    const { isPrivate, personId } = ctx.actor;
    if (flow.privateOnly && !isPrivate) return [{ text: PRIVATE_ONLY }];
    if (flow.requiresLogin && !personId) {
      await this.end(ctx, session.conversation);
      return [{ text: NEED_LOGIN }];
    }
    const changer = this.byName.get('change-password');
    if (personId && session.person?.mustChangePassword && changer && !ALLOWED_BEFORE_CHANGE.has(flow.name)) {
      return this.run(ctx, session, changer, (c) => changer.start(c, 'required'));
    }
    const result = await body(ctx);
    if (result.next != null) {
      const buttons = buttonsOf(result.replies.at(-1));
      await this.services.conversations.save(
        ctx.actor.channel,
        ctx.actor.chatId,
        { flow: flow.name, version: flow.version, state: result.next, ...(buttons ? { buttons } : {}) },
        ctx.updateId,
      );
    } else {
      await this.end(ctx, session.conversation);
    }
    const then = result.then && this.byName.get(result.then.flow);
    if (!then) return result.replies;
    // What was saved is gone now: the next flow starts from a clean slate.
    const more = await this.run(ctx, { ...session, conversation: null }, then, (c) => then.start(c, result.then!.args ?? ''));
    return [...result.replies, ...more];
  }

  /** Ends the chat's conversation, if there is one saved. */
  private async end(ctx: FlowContext, saved: SavedConversation | null): Promise<void> {
    if (saved) await this.services.conversations.clear(ctx.actor.channel, ctx.actor.chatId);
  }

  private async runAction(ctx: FlowContext, value: string): Promise<Reply[]> {
    const colon = value.indexOf(':');
    const action = this.actions.get(colon < 0 ? value : value.slice(0, colon));
    if (!action) return [{ text: STALE_BUTTON }];
    if (action.privateOnly && !ctx.actor.isPrivate) return [{ text: PRIVATE_ONLY }];
    if (!ctx.actor.personId) return [{ text: NEED_LOGIN }];
    return action.handle(ctx, colon < 0 ? '' : value.slice(colon + 1));
  }
}

/** The value of the button labelled `text` (own keys only: a typed `__proto__` is no label). */
function pressOf(buttons: Record<string, string>, text: string): string | undefined {
  const value: unknown = Object.hasOwn(buttons, text) ? buttons[text] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The last reply's buttons by label (app buttons send nothing back); none when there are none. */
function buttonsOf(reply: Reply | undefined): Record<string, string> | undefined {
  const pressable = (reply?.choices ?? []).flat().filter((c) => c.app === undefined && c.value);
  return pressable.length ? Object.fromEntries(pressable.map((c) => [c.label.trim(), c.value])) : undefined;
}
