import { Op } from 'sequelize';
import { ProcessedUpdate } from '../../models';
import type { ServiceDeps } from './deps';

/** Update ids remembered in memory per process: far more than can be in flight or retried at once. */
const RECENT_LIMIT = 20_000;
/** Done marks are written together, a few milliseconds apart, off the update's path. */
const FLUSH_DELAY_MS = 20;
const FLUSH_BATCH = 200;

/**
 * Handled update ids, so a redelivered update (a webhook retry, or updates Telegram sends
 * again after a restart) is handled once. An update is marked done once it has been handled
 * and answered, never before: a crash mid-way leaves it to be handled again. The mark is
 * remembered at once in memory and written to the database shortly after, in batches: no
 * write stands between a message and its answer.
 */
export class ProcessedUpdates {
  private readonly recent = new Set<string>();
  private queued: Array<[string, string]> = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private nextFlush: Promise<void> | null = null;
  private resolveNext: (() => void) | null = null;

  constructor(private readonly deps: ServiceDeps) {}

  /** Handled by this process lately. */
  isRecent(channel: string, updateId: string): boolean {
    return this.recent.has(`${channel}:${updateId}`);
  }

  /**
   * Marks an update handled: in memory now, in the database within milliseconds, or at once
   * with `now` (a process that shares the database with others waits for it: the promise
   * resolves once it is written).
   */
  markDone(channel: string, updateId: string, now = false): Promise<void> {
    const key = `${channel}:${updateId}`;
    if (this.recent.has(key)) return this.queued.length ? this.written : this.flushing;
    this.recent.add(key);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.values().next().value!);
    this.queued.push([channel, updateId]);
    if (now || this.queued.length >= FLUSH_BATCH) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
    return this.written;
  }

  /** Resolves when the marks queued so far are written. */
  private get written(): Promise<void> {
    return (this.nextFlush ??= new Promise<void>((resolve) => (this.resolveNext = resolve)));
  }

  /** Writes the queued marks; resolves once everything marked so far is in the database. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queued;
    this.queued = [];
    const resolve = this.resolveNext;
    this.nextFlush = null;
    this.resolveNext = null;
    if (batch.length) {
      const { fast } = this.deps.db;
      const at = fast.timestamp(this.deps.now());
      const sql = `INSERT INTO processed_updates (channel, update_id, created_at) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}
        ON CONFLICT (channel, update_id) DO NOTHING`;
      this.flushing = this.flushing
        .then(() => fast.run(sql, batch.flatMap(([c, u]) => [c, u, at])))
        .then(
          () => undefined,
          (err: Error) => this.deps.logger.error({ err: err.message, updates: batch.length }, 'could not record handled updates; a redelivery may be handled again'),
        );
    }
    if (resolve) void this.flushing.then(resolve);
    return this.flushing;
  }

  /** Forgets ids older than Telegram's retry horizon (a day is ample). */
  async prune(olderThanMs = 86_400_000): Promise<number> {
    const before = new Date(this.deps.now().getTime() - olderThanMs);
    return this.deps.db.transaction((t) => ProcessedUpdate.destroy({ where: { createdAt: { [Op.lt]: before } }, transaction: t }));
  }
}
