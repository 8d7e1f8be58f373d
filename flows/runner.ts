import { isUserError } from '../server/errors';
import type { Services } from '../server/services';
import type { Action, Actor, Flow, FlowContext, FlowEvent, FlowIO, Reply, StepResult } from './types';

/** One update from a channel adapter. */
export interface Inbound {
  actor: Omit<Actor, 'personId'>;
  event: FlowEvent;
  /** The channel's update id, for handling a retried delivery once. */
  updateId?: string | number;
  io: FlowIO;
}

export const GENERIC_ERROR = '抱歉，系统出了点问题，请稍后再试。如果一直出现，请联系管理员。';
const PRIVATE_ONLY = '此功能涉及个人信息或管理操作，请在与机器人的私聊中使用。';
const NEED_LOGIN = '请先登录：发送 /login，用身份证号码和密码登录。';
const STALE_BUTTON = '这个按钮已失效（对话已结束或已更新），请重新开始。发送 /help 查看可用功能。';
/** Flows a user with R3's initial password may still use before changing it. */
const ALLOWED_BEFORE_CHANGE = new Set(['change-password', 'logout', 'help', 'start', 'cancel']);

/**
 * Routes each input to a conversation: loads the chat's saved state, runs one step of
 * its flow, saves the next state. Commands start flows, `!prefix:` buttons run actions.
 */
export class FlowRunner {
  private readonly byCommand = new Map<string, Flow<any>>();
  private readonly byName = new Map<string, Flow<any>>();
  private readonly actions = new Map<string, Action>();

  constructor(
    private readonly services: Services,
    flows: Flow<any>[],
    actions: Action[],
    private readonly onBug: (err: unknown, inbound: Inbound) => void = () => undefined,
  ) {
    for (const flow of flows) {
      this.byName.set(flow.name, flow);
      for (const c of flow.commands) this.byCommand.set(c, flow);
    }
    for (const a of actions) this.actions.set(a.prefix, a);
  }

  /** Handles one input and returns the replies to send (none for a repeated update). */
  async handle(inbound: Inbound): Promise<Reply[]> {
    const { services } = this;
    if (inbound.updateId !== undefined && !(await services.updates.claim(inbound.actor.channel, inbound.updateId))) return [];
    const personId = await services.bindings.personIdOf(inbound.actor.channel, inbound.actor.userId);
    const ctx: FlowContext = {
      services,
      actor: { ...inbound.actor, personId },
      io: inbound.io,
      seal: (v) => services.deps.vault.encrypt(v),
      open: (s) => services.deps.vault.decrypt(s),
    };
    try {
      return await this.route(ctx, inbound.event);
    } catch (err) {
      if (isUserError(err)) return [{ text: err.message }];
      this.onBug(err, inbound);
      return [{ text: GENERIC_ERROR }];
    }
  }

  private async route(ctx: FlowContext, event: FlowEvent): Promise<Reply[]> {
    const { channel, chatId } = ctx.actor;
    if (event.type === 'choice' && event.value.startsWith('!')) return this.runAction(ctx, event.value.slice(1));
    if (event.type === 'choice' && event.value.startsWith('/')) {
      const [name, ...rest] = event.value.slice(1).split(' ');
      return this.route(ctx, { type: 'command', name, args: rest.join(' ') });
    }
    if (event.type === 'command') {
      if (event.name === 'cancel') {
        const had = await this.services.conversations.load(channel, chatId);
        await this.services.conversations.clear(channel, chatId);
        return [{ text: had ? '已取消当前操作。发送 /help 查看可用功能。' : '当前没有进行中的操作。发送 /help 查看可用功能。' }];
      }
      const flow = this.byCommand.get(event.name);
      if (!flow) return [{ text: `没有 /${event.name} 这个命令。发送 /help 查看可用功能。` }];
      await this.services.conversations.clear(channel, chatId);
      return this.run(ctx, flow, (c) => flow.start(c, event.args));
    }
    const saved = await this.services.conversations.load(channel, chatId);
    const flow = saved && this.byName.get(saved.flow);
    if (!saved || !flow || !flow.step || saved.version !== flow.version) {
      if (saved) await this.services.conversations.clear(channel, chatId);
      if (event.type === 'choice') return [{ text: STALE_BUTTON }];
      return [{ text: '您好！请发送 /start 开始，或 /help 查看可用功能。' }];
    }
    return this.run(ctx, flow, (c) => flow.step!(c, saved.state, event));
  }

  private async run(ctx: FlowContext, flow: Flow<any>, body: (ctx: FlowContext) => Promise<StepResult<unknown>>): Promise<Reply[]> {
    const { channel, chatId, isPrivate, personId } = ctx.actor;
    if (flow.privateOnly && !isPrivate) return [{ text: PRIVATE_ONLY }];
    if (flow.requiresLogin && !personId) {
      await this.services.conversations.clear(channel, chatId);
      return [{ text: NEED_LOGIN }];
    }
    if (personId && !ALLOWED_BEFORE_CHANGE.has(flow.name)) {
      const person = await this.services.accounts.get(personId);
      const changer = this.byName.get('change-password');
      if (person?.mustChangePassword && changer) {
        return this.run(ctx, changer, (c) => changer.start(c, 'required'));
      }
    }
    const result = await body(ctx);
    const then = result.then && this.byName.get(result.then.flow);
    if (result.next == null) await this.services.conversations.clear(channel, chatId);
    else await this.services.conversations.save(channel, chatId, { flow: flow.name, version: flow.version, state: result.next });
    if (!then) return result.replies;
    const more = await this.run(ctx, then, (c) => then.start(c, result.then!.args ?? ''));
    return [...result.replies, ...more];
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
