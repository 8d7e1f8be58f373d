import type { Transaction } from 'sequelize';
import { RateLimit } from '../../models';
import type { ServiceDeps } from './deps';

/** A limit: at most `maxFailures` in `windowMs`, and after `freeFailures` a delay that doubles each time. */
export interface LimitRule {
  maxFailures: number;
  windowMs: number;
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const LOGIN_RULE: LimitRule = { maxFailures: 100, windowMs: 3600_000, freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 300_000 };

/** Failure counters kept in the database, so limits hold across restarts and processes. */
export class RateLimits {
  constructor(private readonly deps: ServiceDeps) {}

  /** Milliseconds until `key` may try again (0 = now). */
  async waitMs(key: string, rule: LimitRule): Promise<number> {
    const row = await RateLimit.findByPk(key);
    return row ? this.wait(row, rule) : 0;
  }

  private wait(row: RateLimit, rule: LimitRule): number {
    const now = this.deps.now().getTime();
    if (now - row.windowStart.getTime() >= rule.windowMs) return 0;
    if (row.failures >= rule.maxFailures) return row.windowStart.getTime() + rule.windowMs - now;
    return Math.max(0, (row.blockedUntil?.getTime() ?? 0) - now);
  }

  /** Counts one failure and sets the next delay. */
  async fail(key: string, rule: LimitRule, t?: Transaction): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const now = this.deps.now();
      let row = await RateLimit.findByPk(key, { transaction: tx, lock: this.deps.db.lockFor(tx) });
      if (!row || now.getTime() - row.windowStart.getTime() >= rule.windowMs) {
        row = row ?? RateLimit.build({ key, failures: 0, windowStart: now, blockedUntil: null });
        row.failures = 0;
        row.windowStart = now;
      }
      row.failures += 1;
      const over = row.failures - rule.freeFailures;
      row.blockedUntil = over > 0 ? new Date(now.getTime() + Math.min(rule.baseDelayMs * 2 ** (over - 1), rule.maxDelayMs)) : null;
      await row.save({ transaction: tx });
    }, t);
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
