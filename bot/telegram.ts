import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { menuCommands } from '../flows/menu';
import type { FlowRunner } from '../flows/runner';
import type { FlowEvent, FlowIO, MenuKind, Reply } from '../flows/types';
import type { Logger } from '../server/logger';
import type { OutgoingMessage } from '../server/services/outbox';
import { inlineKeyboard, parseCommand } from './render';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  runner: FlowRunner;
  logger: Logger;
  /** Largest upload the bot will fetch (the cloud Bot API serves up to 20 MB). */
  maxDownloadBytes?: number;
}

/** The Telegram channel: updates in → flow events; replies out → messages, keyboards, files. */
export class TelegramChannel {
  readonly bot: Telegraf;

  constructor(private readonly opts: TelegramOptions) {
    // webhookReply off: every reply is its own API call, so a webhook answer is always a plain 200.
    this.bot = new Telegraf(opts.token, { telegram: { apiRoot: opts.apiRoot, webhookReply: false }, handlerTimeout: 600_000 });
    this.bot.on('message', (ctx) => this.onUpdate(ctx.update));
    this.bot.on('callback_query', async (ctx) => {
      await ctx.answerCbQuery().catch(() => undefined);
      await this.onUpdate(ctx.update);
    });
    this.bot.catch((err, ctx) => opts.logger.error({ err, updateId: ctx.update.update_id }, 'telegram update failed'));
  }

  /** Handles one update (used by polling, the webhook route and tests). */
  handleUpdate(update: Update): Promise<void> {
    return this.bot.handleUpdate(update);
  }

  private async onUpdate(update: Update): Promise<void> {
    const parsed = this.toEvent(update);
    if (!parsed) return;
    const { event, from, chat, messageId } = parsed;
    const chatId = String(chat.id);
    const io = this.io(chat.id, from.id, messageId);
    const replies = await this.opts.runner.handle({
      actor: { channel: 'telegram', userId: String(from.id), chatId, isPrivate: chat.type === 'private' },
      event,
      updateId: update.update_id,
      io,
    });
    for (const reply of replies) await io.send(reply);
  }

  private toEvent(update: Update): { event: FlowEvent; from: { id: number }; chat: { id: number; type: string }; messageId?: number } | null {
    if ('callback_query' in update) {
      const q = update.callback_query;
      if (!q.message || !('data' in q)) return null;
      return { event: { type: 'choice', value: q.data }, from: q.from, chat: q.message.chat };
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
      const telegram = this.bot.telegram;
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
    return { ...base, event: { type: 'text', text: '' } };
  }

  private io(chatId: number, userId: number, messageId?: number): FlowIO {
    const telegram = this.bot.telegram;
    let progressId: number | null = null;
    let progressText = '';
    return {
      send: (reply: Reply) => this.send(chatId, reply),
      async progress(text) {
        if (text === progressText) return;
        progressText = text;
        if (progressId === null) progressId = (await telegram.sendMessage(chatId, text)).message_id;
        else await telegram.editMessageText(chatId, progressId, undefined, text).catch(() => undefined);
      },
      async deleteUserMessage() {
        if (messageId) await telegram.deleteMessage(chatId, messageId).catch(() => undefined);
      },
      setMenu: (kind: MenuKind) => this.setMenu(userId, kind),
    };
  }

  /** Sends one reply to a chat. */
  async send(chatId: number | string, reply: Reply): Promise<void> {
    const reply_markup = inlineKeyboard(reply.choices);
    if (reply.file) {
      await this.bot.telegram.sendDocument(chatId, { source: reply.file.data, filename: reply.file.name }, { caption: reply.text.slice(0, 1024), reply_markup });
    } else {
      await this.bot.telegram.sendMessage(chatId, reply.text, { reply_markup });
    }
  }

  /** The outbox deliverer for Telegram. */
  deliver = (chatId: string, message: OutgoingMessage): Promise<void> => this.send(chatId, message);

  /** Sets a user's command menu (member or admin) in their private chat. */
  async setMenu(userId: number, kind: MenuKind): Promise<void> {
    const scope = { type: 'chat' as const, chat_id: userId };
    if (kind === 'guest') await this.bot.telegram.deleteMyCommands({ scope }).catch(() => undefined);
    else await this.bot.telegram.setMyCommands(menuCommands(kind), { scope }).catch(() => undefined);
  }

  /** Long polling (drops a webhook first). Resolves once polling has started. */
  async startPolling(): Promise<void> {
    await this.bot.telegram.setMyCommands(menuCommands('guest'), { scope: { type: 'all_private_chats' } }).catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      this.bot.launch({ dropPendingUpdates: false }, resolve).catch(reject);
    });
  }

  /** Webhook mode: tells Telegram where to post updates, with the secret it must send back. */
  async startWebhook(url: string, secret: string): Promise<void> {
    this.bot.botInfo ??= await this.bot.telegram.getMe();
    await this.bot.telegram.setMyCommands(menuCommands('guest'), { scope: { type: 'all_private_chats' } }).catch(() => undefined);
    await this.bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'callback_query'] });
  }

  stop(): void {
    try {
      this.bot.stop();
    } catch {
      // not running: nothing to stop
    }
  }
}
