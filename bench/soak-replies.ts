/**
 * Matches the bot's messages at the Bot API emulator to the updates the soak sent. A simulated
 * chat has one update outstanding at a time (a person waits for the answer), so an answer is
 * the first message to that chat, after the update was sent, that reads as the answer to it
 * (a pattern per step); other messages to the chat meanwhile are pushed ones (announcements,
 * import outcomes, progress). A second message matching the pattern before the chat's next
 * update is a duplicated answer; none within the timeout is a lost one.
 */
import type { ApiCall, BotApiEmulator } from '../test/helpers/telegram/bot-api-emulator';
import { GENERIC_ERROR } from '../flows/engine/runner';
import { BUSY_MESSAGE } from '../server/errors';
import { percentile } from './stats';

/** Methods by which the bot puts a message into a chat. */
const MESSAGE_METHODS = new Set(['sendMessage', 'sendDocument', 'sendPhoto']);

/** One update waiting for (or given) its answer. */
interface Pending {
  kind: string;
  pattern: RegExp;
  sentAt: number;
  answeredAt: number | null;
  /** Messages after the answer that match the pattern again (before the chat's next update). */
  extra: number;
  resolve: (call: ApiCall | null) => void;
  timer: NodeJS.Timeout | null;
}

/** A lost answer, for the report. */
export interface LostAnswer {
  kind: string;
  chatId: number;
  sentAt: number;
  lastMessages: string[];
}

const textOf = (call: ApiCall) => String(call.params.text ?? call.params.caption ?? `[${call.method}]`);

export class ReplyWatcher {
  private readonly open = new Map<number, Pending>();
  private readonly latencies = new Map<string, number[]>();
  private readonly recent = new Map<number, string[]>();
  private stopListening: () => void;
  sent = 0;
  answered = 0;
  duplicated = 0;
  readonly lost: LostAnswer[] = [];
  /** Replies carrying the generic error text (a bug on the server side). */
  genericErrors = 0;
  /** Replies saying the system is busy (a wait ran out under load: not a bug, but the person has to try again). */
  busy = 0;
  /** Messages that answered no update: pushed ones, by their first few characters. */
  readonly pushed = new Map<string, number>();
  /** Chats each message starting with a watched prefix went to (to find a chat that got one twice). */
  private readonly watchedPrefixes = new Map<string, Map<number, number>>();

  constructor(
    private readonly emu: BotApiEmulator,
    private readonly timeoutMs: number,
  ) {
    this.stopListening = emu.onCall((call) => this.onCall(call));
  }

  /**
   * Pushes `update` for `chatId` and resolves with the bot's answer (the message call), or null
   * when none matched `pattern` within the timeout (counted lost).
   */
  send(chatId: number, kind: string, pattern: RegExp, push: () => unknown): Promise<ApiCall | null> {
    this.close(chatId);
    return new Promise((resolve) => {
      const p: Pending = { kind, pattern, sentAt: Date.now(), answeredAt: null, extra: 0, resolve, timer: null };
      p.timer = setTimeout(() => {
        p.timer = null;
        this.open.delete(chatId);
        this.lost.push({ kind, chatId, sentAt: p.sentAt, lastMessages: this.recent.get(chatId) ?? [] });
        resolve(null);
      }, this.timeoutMs);
      this.open.set(chatId, p);
      this.sent++;
      p.sentAt = Date.now();
      push();
    });
  }

  /** Counts, per chat, the messages whose text starts with `prefix` (announcements, import outcomes). */
  watchPrefix(prefix: string): void {
    this.watchedPrefixes.set(prefix, new Map());
  }

  /** Chats that got a message starting with `prefix`, and how many got it more than once. */
  prefixCounts(prefix: string): { chats: number; messages: number; twice: number } {
    const per = this.watchedPrefixes.get(prefix) ?? new Map<number, number>();
    const counts = [...per.values()];
    return { chats: per.size, messages: counts.reduce((a, b) => a + b, 0), twice: counts.filter((n) => n > 1).length };
  }

  /** Ends every chat's window (after the settling wait): a later message no longer counts as a duplicate. */
  closeAll(): void {
    for (const chatId of [...this.open.keys()]) this.close(chatId);
  }

  dispose(): void {
    this.stopListening();
  }

  /** Still waiting for an answer. */
  get outstanding(): number {
    return [...this.open.values()].filter((p) => p.answeredAt === null).length;
  }

  /** p50/p99/max of the answer times of `kind` (all kinds when omitted), ms. */
  figures(kind?: string): { n: number; p50: number; p99: number; max: number } {
    const all = kind ? [...(this.latencies.get(kind) ?? [])] : [...this.latencies.values()].flat();
    all.sort((a, b) => a - b);
    return { n: all.length, p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? NaN };
  }

  kinds(): string[] {
    return [...this.latencies.keys()].sort();
  }

  private close(chatId: number): void {
    const p = this.open.get(chatId);
    if (!p) return;
    // An unanswered update stays open (its timer decides); an answered one stops collecting duplicates.
    if (p.answeredAt === null) return;
    this.duplicated += p.extra;
    this.open.delete(chatId);
  }

  private onCall(call: ApiCall): void {
    if (!MESSAGE_METHODS.has(call.method) || call.result === undefined) return;
    const chatId = Number(call.params.chat_id);
    const text = textOf(call);
    if (text.includes(GENERIC_ERROR)) this.genericErrors++;
    if (text.includes(BUSY_MESSAGE)) this.busy++;
    const recent = this.recent.get(chatId) ?? [];
    recent.push(text.slice(0, 60));
    this.recent.set(chatId, recent.slice(-4));
    for (const [prefix, per] of this.watchedPrefixes) if (text.startsWith(prefix)) per.set(chatId, (per.get(chatId) ?? 0) + 1);
    const p = this.open.get(chatId);
    if (p && p.pattern.test(text)) {
      if (p.answeredAt !== null) {
        p.extra++;
        return;
      }
      p.answeredAt = call.at;
      if (p.timer) clearTimeout(p.timer);
      const list = this.latencies.get(p.kind) ?? [];
      list.push(Math.max(0, call.at - p.sentAt));
      this.latencies.set(p.kind, list);
      this.answered++;
      p.resolve(call);
      return;
    }
    const key = text.slice(0, 8);
    this.pushed.set(key, (this.pushed.get(key) ?? 0) + 1);
  }
}
