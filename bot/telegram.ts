import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { menuCommands } from '../flows/engine/menu';
import { renderNotice } from '../flows/notices';
import type { FlowRunner } from '../flows/engine/runner';
import { type FlowEvent, type FlowIO, type MenuKind, type Reply, webAppLink } from '../flows/engine/types';
import type { Logger } from '../server/logger';
import type { Notice } from '../server/services/messaging/notices';
import { DeliveryError, type Recipient } from '../server/services/messaging/outbox';
import { Pacer, TELEGRAM_PACE, type PaceLimits } from './pacer';
import { type AppTarget, cutText, inlineKeyboard, MAX_CAPTION_CHARS, parseCommand, splitText } from './render';
import { UpdatePoller, type BotState } from './telegram-polling';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  runner: FlowRunner;
  logger: Logger;
  /** Largest upload the bot will fetch (the cloud Bot API serves up to 20 MB). */
  maxDownloadBytes?: number;
  pace?: PaceLimits;
  /** First wait after a failed poll or start (doubles up to a few seconds, a minute for a refused token); tests shorten it. */
  retryBaseMs?: number;
  /** The web app's public HTTPS address (WEBAPP_URL): the menu button and app buttons open it as a Mini App. None: they are off. */
  webAppUrl?: string;
  /** Where this machine serves the web app (`http://localhost:<port>/app/`), for /app's answer without webAppUrl. */
  localAppUrl?: string;
}

/** The menu button's label once it opens the web app. */
export const WEB_APP_MENU_LABEL = '团务应用';

/** The bot's connection, for `/health`. */
export interface BotStatus {
  mode: 'polling' | 'webhook';
  state: BotState;
  since: string;
  detail?: string;
}

/** How often a reply is tried when Telegram keeps answering 429, and the longest wait for one. */
const REPLY_TRIES = 6;
const MAX_REPLY_WAIT_MS = 120_000;
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** Telegram shows PNG and JPEG photos up to 10 MB inline (it recompresses them; a QR code stays readable). */
const isPhoto = (file: NonNullable<Reply['file']>) => /^image\/(png|jpeg)$/.test(file.mime) && file.data.length <= 10 * 1024 * 1024;

/** The parts of a Bot API error we act on and log (never the payload: it holds personal data). */
function apiError(err: unknown): { code?: number; description: string; retryAfterMs?: number } {
  const e = err as { response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } }; message?: string; code?: string };
  const r = e?.response;
  const retry = r?.parameters?.retry_after;
  return {
    code: r?.error_code,
    description: r?.description ?? e?.code ?? e?.message ?? String(err),
    retryAfterMs: retry === undefined ? undefined : retry * 1000,
  };
}

/**
 * What recognises an update when Telegram delivers it again: the message (its id is unique in
 * its chat) or the callback query. Not the update id: a restarted local Bot API server, and
 * Telegram itself after a week without updates, hand out ids used before. None for an update
 * without them (the runner then falls back to the update id).
 */
export function updateKeyOf(update: Update): string | undefined {
  if ('message' in update && update.message.message_id != null) return `msg:${update.message.chat.id}:${update.message.message_id}`;
  if ('callback_query' in update && update.callback_query.id) return `cb:${update.callback_query.id}`;
  return undefined;
}

/**
 * The Telegram channel: updates in → flow events; replies out → messages, keyboards, files.
 * Every call out is paced (per chat and overall: replies first, the outbox with what is left)
 * and a 429 is waited out, never dropped.
 */
export class TelegramChannel {
  readonly telegram: Telegram;
  private readonly pacer: Pacer;
  private poller: UpdatePoller | null = null;
  private status: BotStatus = { mode: 'polling', state: 'stopped', since: new Date().toISOString() };
  private stopping = new AbortController();
  private username: Promise<string | undefined> | undefined;

  constructor(private readonly opts: TelegramOptions) {
    this.telegram = new Telegram(opts.token, { apiRoot: opts.apiRoot, webhookReply: false });
    this.pacer = new Pacer(opts.pace ?? TELEGRAM_PACE);
  }

  /** Where the connection stands. */
  get state(): BotStatus {
    return { ...this.status };
  }

  /**
   * Handles one update (polling, the webhook route and tests): resolves once it is handled
   * and answered. Updates of one chat are handled in the order this is called.
   */
  async handleUpdate(update: Update): Promise<void> {
    const parsed = this.toEvent(update);
    if (!parsed) return;
    const { event, from, chat, messageId, callbackId } = parsed;
    if (callbackId) void this.telegram.answerCbQuery(callbackId).catch(() => undefined);
    const chatId = String(chat.id);
    await this.opts.runner.handle({
      actor: { channel: 'telegram', userId: String(from.id), chatId, isPrivate: chat.type === 'private' },
      event,
      updateKey: updateKeyOf(update),
      updateId: update.update_id,
      io: this.io(chat.id, from.id, messageId),
      respond: async (replies) => {
        for (const reply of replies) await this.reply(chat.id, reply);
      },
    });
  }

  private toEvent(
    update: Update,
  ): { event: FlowEvent; from: { id: number }; chat: { id: number; type: string }; messageId?: number; callbackId?: string } | null {
    if ('callback_query' in update) {
      const q = update.callback_query;
      if (!q.message || !('data' in q)) return null;
      return { event: { type: 'choice', value: q.data }, from: q.from, chat: q.message.chat, callbackId: q.id };
    }
    if (!('message' in update)) return null;
    const m = update.message;
    if (!m.from) return null;
    const base = { from: m.from, chat: m.chat, messageId: m.message_id };
    if ('text' in m) {
      const command = parseCommand(m.text);
      return { ...base, event: command ? { type: 'command', ...command } : { type: 'text', text: m.text } };
    }
    if ('document' in m) {
      const doc = m.document;
      const telegram = this.telegram;
      const limit = this.opts.maxDownloadBytes ?? 20 * 1024 * 1024;
      return {
        ...base,
        event: {
          type: 'document',
          file: {
            name: doc.file_name ?? 'file',
            size: doc.file_size ?? 0,
            mime: doc.mime_type,
            async download() {
              if ((doc.file_size ?? 0) > limit) throw new Error('file too large to download');
              const link = await telegram.getFileLink(doc.file_id);
              const res = await fetch(link);
              if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
              return Buffer.from(await res.arrayBuffer());
            },
          },
        },
      };
    }
    const kind =
      ['sticker', 'photo', 'location', 'voice', 'video', 'video_note', 'audio', 'contact', 'animation', 'poll', 'venue', 'dice'].find((k) => k in m) ?? 'other';
    return { ...base, event: { type: 'other', kind } };
  }

  private io(chatId: number, userId: number, messageId?: number): FlowIO {
    const chat = String(chatId);
    let progressId: number | null = null;
    let progressText = '';
    return {
      send: (reply: Reply) => this.reply(chatId, reply),
      progress: async (text) => {
        if (text === progressText) return;
        progressText = text;
        if (progressId === null) progressId = (await this.call(chat, 'sendMessage', () => this.telegram.sendMessage(chatId, text))).message_id;
        else await this.call(chat, 'editMessageText', () => this.telegram.editMessageText(chatId, progressId!, undefined, text)).catch(() => undefined);
      },
      deleteUserMessage: async () => {
        if (messageId) await this.telegram.deleteMessage(chatId, messageId).catch(() => undefined);
      },
      setMenu: (kind: MenuKind) => this.setMenu(userId, kind),
      startLink: this.startLink,
      webApp: { url: this.opts.webAppUrl ?? null, localUrl: this.opts.localAppUrl },
    };
  }

  /** The deep link `https://t.me/<bot>?start=<payload>`; the bot's username is asked once (again after a failure). */
  startLink = async (payload: string): Promise<string | null> => {
    this.username ??= this.telegram.getMe().then(
      (me) => me.username,
      () => (this.username = undefined),
    );
    const name = await this.username;
    return name ? `https://t.me/${name}?start=${encodeURIComponent(payload)}` : null;
  };

  /** Sends one reply now, waiting out rate limits; a failure is logged with its reason (not the text). */
  private async reply(chatId: number | string, reply: Reply): Promise<void> {
    await this.send(chatId, reply).catch(() => undefined);
  }

  /**
   * Sends one reply to a chat, waiting out 429s (throws what Telegram refused otherwise). A
   * text longer than Telegram takes goes in parts, the buttons with the last.
   */
  async send(chatId: number | string, reply: Reply): Promise<void> {
    const chat = String(chatId);
    const reply_markup = inlineKeyboard(reply.choices, this.appTarget(chatId));
    let parts = splitText(reply.text);
    if (reply.file) {
      const file = reply.file;
      const [caption, ...more] = splitText(reply.text, MAX_CAPTION_CHARS);
      await this.call(chat, isPhoto(file) ? 'sendPhoto' : 'sendDocument', () =>
        this.sendFile(chatId, file, { caption, reply_markup: more.length ? undefined : reply_markup }),
      );
      parts = more.length ? splitText(more.join('\n')) : [];
    }
    for (const [i, text] of parts.entries()) {
      const last = i === parts.length - 1;
      await this.call(chat, 'sendMessage', () => this.telegram.sendMessage(chatId, text, { reply_markup: last ? reply_markup : undefined }));
    }
  }

  /** A picture (a QR code, a chart) as a photo, shown in the chat; anything else as a document. */
  private sendFile(
    chatId: number | string,
    file: NonNullable<Reply['file']>,
    extra: { caption?: string; reply_markup?: ReturnType<typeof inlineKeyboard> },
  ): Promise<unknown> {
    const source = { source: file.data, filename: file.name };
    return isPhoto(file) ? this.telegram.sendPhoto(chatId, source, extra) : this.telegram.sendDocument(chatId, source, extra);
  }

  /** One Bot API call to a chat: paced, a 429 waited out and tried again, a failure logged without the payload. */
  private async call<T>(chatId: string, method: string, fn: () => Promise<T>): Promise<T> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.slot(chatId);
      try {
        return await fn();
      } catch (err) {
        const e = apiError(err);
        if (e.code === 429 && attempt < REPLY_TRIES && waited < MAX_REPLY_WAIT_MS) {
          const wait = e.retryAfterMs ?? 1000;
          this.pacer.hold(chatId, wait);
          this.pacer.pauseBulk(wait); // over the limit: the outbox waits too, so replies get through
          waited += wait;
          continue;
        }
        this.opts.logger.warn({ method, chatId, code: e.code, error: e.description, attempt }, 'Telegram call failed');
        throw err;
      }
    }
  }

  /**
   * The outbox deliverer: renders the notice (flows/notices) and makes one try, paced behind
   * replies. A chat held by a 429 is deferred at once (the sender goes on with other chats);
   * a 429 also pauses every bulk send for its retry_after; a 403 marks the chat blocked.
   */
  deliver = async (chatId: string, notice: Notice, to: Recipient): Promise<void> => {
    const held = this.pacer.heldFor(chatId);
    if (held > 0) throw new DeliveryError('retry', 'rate limited', held);
    const reply = await renderNotice(this.opts.runner.services, notice, to);
    if (!reply) throw new DeliveryError('dropped', `notice ${notice.kind} no longer applies`);
    if (!(await this.pacer.bulkSlot(chatId))) throw new DeliveryError('retry', 'no slot: replies or a pause took the rate', 1000);
    const reply_markup = inlineKeyboard(reply.choices, this.appTarget(chatId));
    try {
      // Queued messages are written to fit (a notice, a report's caption); longer ones are cut, not split: one row, one message.
      if (reply.file) {
        await this.sendFile(chatId, reply.file, { caption: cutText(reply.text, MAX_CAPTION_CHARS), reply_markup });
      } else {
        await this.telegram.sendMessage(chatId, cutText(reply.text), { reply_markup });
      }
    } catch (err) {
      const e = apiError(err);
      if (e.code === 429) {
        const wait = e.retryAfterMs ?? 1000;
        this.pacer.hold(chatId, wait);
        this.pacer.pauseBulk(wait);
        throw new DeliveryError('retry', `429: ${e.description}`, wait);
      }
      if (e.code === 403) throw new DeliveryError('blocked', `403: ${e.description}`);
      if (e.code !== undefined && e.code >= 400 && e.code < 500) throw new DeliveryError('rejected', `${e.code}: ${e.description}`);
      throw new DeliveryError('failed', `${e.code ?? 'network'}: ${e.description}`);
    }
  };

  /**
   * A background job's progress line in a chat: edits `messageId` in place, or sends a new
   * message (also when the old one is gone); returns the message's id.
   */
  showProgress = async (chatId: string, messageId: string | null, text: string): Promise<string | null> => {
    if (messageId !== null) {
      try {
        await this.call(chatId, 'editMessageText', () => this.telegram.editMessageText(chatId, Number(messageId), undefined, text));
        return messageId;
      } catch (err) {
        const e = apiError(err);
        if (e.code === 400 && /not modified/.test(e.description)) return messageId;
        if (!(e.code === 400 && /not found/.test(e.description))) throw err;
      }
    }
    return String((await this.call(chatId, 'sendMessage', () => this.telegram.sendMessage(chatId, text))).message_id);
  };

  /** App buttons of a chat: private chats have positive ids, groups negative ones (the Bot API's rule). */
  private appTarget(chatId: number | string): AppTarget {
    return { url: this.opts.webAppUrl, privateChat: Number(chatId) > 0 };
  }

  /**
   * Sets a user's command menu (member or admin) in their private chat, and with a web app its
   * menu button: the Mini App once logged in, the command list again for a guest.
   */
  async setMenu(userId: number, kind: MenuKind): Promise<void> {
    const scope = { type: 'chat' as const, chat_id: userId };
    if (kind === 'guest') await this.telegram.deleteMyCommands({ scope }).catch(() => undefined);
    else await this.telegram.setMyCommands(menuCommands(kind), { scope }).catch(() => undefined);
    const url = this.opts.webAppUrl;
    if (!url) return;
    const menuButton =
      kind === 'guest' ? { type: 'commands' as const } : { type: 'web_app' as const, text: WEB_APP_MENU_LABEL, web_app: { url: webAppLink(url, '/') } };
    await this.telegram.setChatMenuButton({ chatId: userId, menuButton }).catch(() => undefined);
  }

  private setState(mode: BotStatus['mode'], state: BotState, detail?: string): void {
    if (this.status.state !== state || this.status.mode !== mode) this.status = { mode, state, since: new Date().toISOString(), detail };
    else this.status.detail = detail;
  }

  /**
   * Long polling, in the background: drops a webhook first, then polls for ever, retrying
   * with growing waits when Telegram cannot be reached or refuses (each failure is logged).
   */
  startPolling(): void {
    this.setState('polling', 'starting');
    this.poller = new UpdatePoller({
      fetch: async (offset, timeout, signal) => {
        await this.prepare('polling', signal);
        return this.telegram.callApi('getUpdates', { offset, timeout, allowed_updates: [...ALLOWED_UPDATES] }, { signal: signal as never });
      },
      handle: (update) => this.handleUpdate(update),
      logger: this.opts.logger,
      onState: (state, detail) => this.setState('polling', state, detail),
      backoffMs: this.opts.retryBaseMs,
    });
    this.poller.start();
  }

  private prepared = false;

  /** What a mode needs once before it works: the guest menu, and for polling no webhook. */
  private async prepare(mode: BotStatus['mode'], signal?: AbortSignal): Promise<void> {
    if (this.prepared) return;
    if (mode === 'polling') await this.telegram.callApi('deleteWebhook', { drop_pending_updates: false }, { signal: signal as never });
    await this.telegram.setMyCommands(menuCommands('guest'), { scope: { type: 'all_private_chats' } }).catch(() => undefined);
    this.prepared = true;
  }

  /**
   * Webhook mode: tells Telegram where to post updates, with the secret it must send back.
   * Retried in the background until Telegram accepts it.
   */
  startWebhook(url: string, secret: string): void {
    this.setState('webhook', 'starting');
    void (async () => {
      const signal = this.stopping.signal;
      for (let failures = 0; !signal.aborted;) {
        try {
          await this.prepare('webhook');
          await this.telegram.callApi('setWebhook', { url, secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, { signal: signal as never });
          this.setState('webhook', 'running');
          this.opts.logger.info({ url }, 'Telegram webhook set');
          return;
        } catch (err) {
          if (signal.aborted) return;
          failures++;
          const e = apiError(err);
          const wait = Math.min((this.opts.retryBaseMs ?? 1000) * 2 ** Math.min(failures - 1, 10), 60_000);
          this.setState('webhook', e.code === 401 || e.code === 404 ? 'unauthorized' : 'unreachable', `${e.code ?? 'network'}: ${e.description}`);
          this.opts.logger.warn({ code: e.code, error: e.description, retryInMs: wait }, 'could not set the Telegram webhook; retrying');
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    })();
  }

  /** Stops polling (waiting for the updates being handled) or webhook retries. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const poller = this.poller;
    this.poller = null;
    await poller?.stop();
    this.setState(this.status.mode, 'stopped');
  }
}
