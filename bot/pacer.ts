/** A token bucket whose tokens may be reserved ahead: a negative balance is the queue waiting. */
class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  /** Takes a token; returns how long the taker must wait for it. */
  take(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
  }

  /** Idle long enough to be full again (and so to be forgotten). */
  full(now: number): boolean {
    return this.tokens + (now - this.at) * this.perMs >= this.capacity;
  }
}

/** Who waits for the overall rate: replies to people chatting go before bulk (the outbox). */
export type Lane = 'reply' | 'bulk';

type Waiter = { grant: (ok: boolean) => void; timer?: NodeJS.Timeout };

/**
 * The overall rate, shared by replies and bulk sends: a token bucket whose tokens go to
 * waiting replies first, and to bulk only when no reply waits (so bulk takes what replies
 * leave). Bulk can also be paused (a 429's retry_after) while replies go on.
 */
class Gate {
  private tokens: number;
  private at: number;
  private readonly waiting: Record<Lane, Waiter[]> = { reply: [], bulk: [] };
  private bulkPausedUntil = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.at = now();
  }

  /** Resolves true when the lane gets a token; false when `maxWaitMs` passed first (bulk gives up and retries later). */
  take(lane: Lane, maxWaitMs?: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = { grant: resolve };
      this.waiting[lane].push(waiter);
      if (maxWaitMs !== undefined) {
        waiter.timer = setTimeout(() => {
          const queue = this.waiting[lane];
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          resolve(false);
        }, maxWaitMs);
      }
      this.pump();
    });
  }

  pauseBulk(ms: number): void {
    this.bulkPausedUntil = Math.max(this.bulkPausedUntil, this.now() + ms);
  }

  bulkPausedFor(): number {
    return Math.max(0, this.bulkPausedUntil - this.now());
  }

  /** Waiting in each lane (for tests and the bench). */
  queued(): Record<Lane, number> {
    return { reply: this.waiting.reply.length, bulk: this.waiting.bulk.length };
  }

  private pump(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    const bulkOpen = now >= this.bulkPausedUntil;
    while (this.tokens >= 1) {
      const next = this.waiting.reply.shift() ?? (bulkOpen ? this.waiting.bulk.shift() : undefined);
      if (!next) break;
      this.tokens -= 1;
      if (next.timer) clearTimeout(next.timer);
      next.grant(true);
    }
    this.schedule(now, bulkOpen);
  }

  private schedule(now: number, bulkOpen: boolean): void {
    if (this.timer) return;
    const { reply, bulk } = this.waiting;
    if (!reply.length && !bulk.length) return;
    const forToken = this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
    const wait = reply.length || bulkOpen ? forToken : Math.max(forToken, this.bulkPausedUntil - now);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, Math.ceil(wait)),
    );
  }
}

/** How fast messages may go out. */
export interface PaceLimits {
  /** Messages a chat may get at once, then `perChatPerSecond`. */
  perChatBurst: number;
  perChatPerSecond: number;
  /** Messages to all chats at once, then `overallPerSecond`. */
  overallBurst: number;
  overallPerSecond: number;
}

/** Telegram's published limits: about one message a second per chat, `overallPerSecond` (30) in all. */
export function telegramPace(overallPerSecond = 30): PaceLimits {
  // A burst of half a second's worth: a full second's at once on top of the steady rate would exceed it.
  return { perChatBurst: 3, perChatPerSecond: 1, overallBurst: Math.max(1, Math.floor(overallPerSecond / 2)), overallPerSecond };
}

export const TELEGRAM_PACE: PaceLimits = telegramPace();

/**
 * Paces outgoing calls per chat and overall, and holds a chat (or everything) for as long as
 * the channel asked after a rate-limit answer (Telegram's 429 `retry_after`). Replies wait in
 * arrival order and go before bulk sends; nothing is dropped.
 */
export class Pacer {
  private readonly overall: Gate;
  private readonly chats = new Map<string, Bucket>();
  private readonly holds = new Map<string, number>();
  private heldAllUntil = 0;

  constructor(
    private readonly limits: PaceLimits = TELEGRAM_PACE,
    private readonly now: () => number = Date.now,
  ) {
    this.overall = new Gate(limits.overallBurst, limits.overallPerSecond / 1000, now);
  }

  /** Resolves when a reply to `chatId` may go out. */
  async slot(chatId: string): Promise<void> {
    await this.chatSlot(chatId);
    await this.overall.take('reply');
  }

  /**
   * For a bulk send (the outbox) to `chatId`: resolves true when it may go out, after the
   * waiting replies and any pause; false when no slot came within `maxWaitMs`.
   */
  async bulkSlot(chatId: string, maxWaitMs = 15_000): Promise<boolean> {
    await this.chatSlot(chatId);
    return this.overall.take('bulk', maxWaitMs);
  }

  private async chatSlot(chatId: string): Promise<void> {
    const now = this.now();
    const wait = Math.max(this.heldFor(chatId), this.chat(chatId, now).take(now));
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** How long `chatId` (or everything) is held after a rate-limit answer; 0 when free. */
  heldFor(chatId: string): number {
    const now = this.now();
    return Math.max(0, (this.holds.get(chatId) ?? 0) - now, this.heldAllUntil - now);
  }

  /** Holds `chatId` (undefined: every chat) for `ms`. */
  hold(chatId: string | undefined, ms: number): void {
    const until = this.now() + ms;
    if (chatId === undefined) this.heldAllUntil = Math.max(this.heldAllUntil, until);
    else this.holds.set(chatId, Math.max(this.holds.get(chatId) ?? 0, until));
  }

  /** Pauses bulk sends for `ms` (the channel said to slow down); replies still go. */
  pauseBulk(ms: number): void {
    this.overall.pauseBulk(ms);
  }

  /** How long bulk sends stay paused; 0 when they go. */
  bulkPausedFor(): number {
    return this.overall.bulkPausedFor();
  }

  /** Calls waiting for the overall rate, by lane. */
  queued(): Record<Lane, number> {
    return this.overall.queued();
  }

  private chat(chatId: string, now: number): Bucket {
    let b = this.chats.get(chatId);
    if (!b) {
      if (this.chats.size > 10_000) this.forgetIdle(now);
      this.chats.set(chatId, (b = new Bucket(this.limits.perChatBurst, this.limits.perChatPerSecond / 1000, now)));
    }
    return b;
  }

  private forgetIdle(now: number): void {
    for (const [id, b] of this.chats) if (b.full(now)) this.chats.delete(id);
    for (const [id, until] of this.holds) if (until <= now) this.holds.delete(id);
  }
}
