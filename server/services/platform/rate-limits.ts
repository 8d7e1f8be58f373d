import type { Transaction } from 'sequelize';
import { RateLimit } from '../../../models';
import { modelFromRow } from '../../../models/fast-sql';
import type { ServiceDeps } from '../deps';

/**
 * A limit on attempts (a password, a registration code): `freeAttempts` in a row pass, then
 * each attempt waits a delay that doubles from `baseDelayMs` up to `maxDelayMs`; with
 * `maxPerWindow`, no more than that many in `windowMs` at all. A success clears the count.
 */
export interface LimitRule {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
  maxPerWindow?: number;
}

/**
 * Logins from one source (a chat user): throttled hard. A stranger guessing from one chat is
 * held for up to 15 minutes at a time, and 30 wrong tries an hour end it for that hour.
 */
export const LOGIN_SOURCE_RULE: LimitRule = { freeAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 900_000, windowMs: 3600_000, maxPerWindow: 30 };

/**
 * Logins to one account, from anywhere: throttled gently, never locked: the delay grows to a
 * minute at most, so the owner can always get in (and from a chat that logged in to the account
 * before, this limit does not apply at all: see Accounts.login).
 */
export const LOGIN_ACCOUNT_RULE: LimitRule = { freeAttempts: 5, baseDelayMs: 2000, maxDelayMs: 60_000, windowMs: 3600_000 };

/** An attempt refused: how long until the next may be made. */
export interface Refusal {
  waitMs: number;
}

/** Attempt counters kept in the database, so limits hold across restarts and processes. */
export class RateLimits {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Claims one attempt under `key`: counts it first, then says whether it may be made (null:
   * go ahead). Atomic: of many attempts at the same moment exactly as many pass as the rule
   * allows, whichever process makes them. Clear the count with {@link reset} on a success.
   */
  async claim(key: string, rule: LimitRule, t?: Transaction): Promise<Refusal | null> {
    const { db } = this.deps;
    return db.transaction(async (tx) => {
      const now = this.deps.now();
      await RateLimit.bulkCreate([{ key, failures: 0, windowStart: now, blockedUntil: null }], { ignoreDuplicates: true, transaction: tx });
      const row = (await RateLimit.findByPk(key, { transaction: tx, lock: db.lockFor(tx) }))!;
      if (now.getTime() - row.windowStart.getTime() >= rule.windowMs) {
        row.failures = 0;
        row.windowStart = now;
        row.blockedUntil = null;
      }
      const blockedFor = (row.blockedUntil?.getTime() ?? 0) - now.getTime();
      if (blockedFor > 0) return { waitMs: blockedFor };
      if (rule.maxPerWindow !== undefined && row.failures >= rule.maxPerWindow) return { waitMs: row.windowStart.getTime() + rule.windowMs - now.getTime() };
      row.failures += 1;
      const over = row.failures - rule.freeAttempts;
      row.blockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(rule.baseDelayMs * 2 ** over, rule.maxDelayMs)) : null;
      await row.save({ transaction: tx });
      return null;
    }, t);
  }

  /**
   * Whether an attempt under `key` would be refused now, without counting one: for limits that
   * count only failures (a wrong sign-in code), checked before the attempt is looked at.
   */
  async blocked(key: string, rule: LimitRule): Promise<Refusal | null> {
    // Plain SQL: asked on every sign-in, most often for a key that has no row.
    const [found] = await this.deps.db.fast.all('SELECT * FROM rate_limits WHERE key = ?', [key]);
    const row = found && modelFromRow(RateLimit, found);
    const now = this.deps.now().getTime();
    if (!row || now - row.windowStart.getTime() >= rule.windowMs) return null;
    const blockedFor = (row.blockedUntil?.getTime() ?? 0) - now;
    if (blockedFor > 0) return { waitMs: blockedFor };
    if (rule.maxPerWindow !== undefined && row.failures >= rule.maxPerWindow) return { waitMs: row.windowStart.getTime() + rule.windowMs - now };
    return null;
  }

  /** Attempts counted under `key` in its current window. */
  async count(key: string): Promise<number> {
    return (await RateLimit.findByPk(key))?.failures ?? 0;
  }

  /** Takes back one attempt that succeeded (the count of others' failures goes on). */
  async refund(key: string, t?: Transaction): Promise<void> {
    await this.deps.db.transaction((tx) => RateLimit.decrement('failures', { where: { key }, transaction: tx }), t);
  }

  async reset(key: string, t?: Transaction): Promise<void> {
    await this.deps.db.transaction((tx) => RateLimit.destroy({ where: { key }, transaction: tx }), t);
  }
}

/** "请 N 分钟后再试" for a wait in milliseconds. */
export function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`;
}
