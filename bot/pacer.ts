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

/** How fast messages may go out. */
export interface PaceLimits {
  /** Messages a chat may get at once, then `perChatPerSecond`. */
  perChatBurst: number;
  perChatPerSecond: number;
  /** Messages to all chats at once, then `overallPerSecond`. */
  overallBurst: number;
  overallPerSecond: number;
}

/** Telegram's published limits, with a margin: about one message a second per chat, 30 a second overall. */
export const TELEGRAM_PACE: PaceLimits = { perChatBurst: 3, perChatPerSecond: 1, overallBurst: 25, overallPerSecond: 25 };

/**
 * Paces outgoing calls per chat and overall, and holds a chat (or everything) for as long as
 * the channel asked after a rate-limit answer (Telegram's 429 `retry_after`). Waiting is in
 * arrival order; nothing is dropped.
 */
export class Pacer {
  private readonly overall: Bucket;
  private readonly chats = new Map<string, Bucket>();
  private readonly holds = new Map<string, number>();
  private heldAllUntil = 0;

  constructor(
    private readonly limits: PaceLimits = TELEGRAM_PACE,
    private readonly now: () => number = Date.now,
  ) {
    this.overall = new Bucket(limits.overallBurst, limits.overallPerSecond / 1000, now());
  }

  /** Resolves when a message to `chatId` may go out. */
  async slot(chatId: string): Promise<void> {
    const now = this.now();
    const wait = Math.max(this.heldFor(chatId), this.chat(chatId, now).take(now), this.overall.take(now));
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
