import { Op } from 'sequelize';
import { ProcessedUpdate } from '../../../models';
import type { ServiceDeps } from '../deps';

/** Keys remembered in memory per process: far more than can be in flight or retried at once. */
const RECENT_LIMIT = 20_000;
/** Marks per INSERT (3 parameters each: well within SQLite's limit). */
const WRITE_BATCH = 200;

/**
 * Handled updates, so a redelivered one (a webhook retry, or updates Telegram sends again
 * after a restart) is handled once. An update is known by what it carries (Telegram: the chat
 * and message id, or the callback query's id), not by its number: update ids repeat after a
 * Bot API server restart, or after a week without updates. An update is marked done once it
 * has been handled and answered, never before: a crash mid-way leaves it to be handled again.
 *
 * The mark is remembered in memory at once and written right away; marks that arrive while a
 * write is running go together in the next one. So a mark reaches the database about one
 * write after the answer went out (the window in which a `kill -9` has an answer sent twice),
 * and a burst of updates costs a few writes, not one each.
 */
export class ProcessedUpdates {
  private readonly recent = new Set<string>();
  private queued: Array<[string, string]> = [];
  /** The last write started or waiting to start. */
  private last: Promise<void> = Promise.resolve();
  /** The write that will take the marks queued now, if one is waiting for the running write. */
  private next: Promise<void> | null = null;

  constructor(private readonly deps: ServiceDeps) {}

  /** Handled by this process lately. */
  isRecent(channel: string, key: string): boolean {
    return this.recent.has(`${channel}:${key}`);
  }

  /** Marks an update handled: in memory now, in the database at once; resolves once written. */
  markDone(channel: string, key: string): Promise<void> {
    const id = `${channel}:${key}`;
    if (!this.recent.has(id)) {
      this.recent.add(id);
      if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.values().next().value!);
      this.queued.push([channel, key]);
    }
    return this.flush();
  }

  /** Writes the queued marks (right after the write running, if one is); resolves once everything marked so far is written. */
  flush(): Promise<void> {
    if (this.next) return this.next;
    if (!this.queued.length) return this.last;
    const next = this.last.then(() => {
      this.next = null;
      const batch = this.queued;
      this.queued = [];
      return this.write(batch);
    });
    this.next = next;
    this.last = next;
    return next;
  }

  private async write(batch: Array<[string, string]>): Promise<void> {
    const { fast } = this.deps.db;
    const at = fast.timestamp(this.deps.now());
    for (let i = 0; i < batch.length; i += WRITE_BATCH) {
      const part = batch.slice(i, i + WRITE_BATCH);
      const sql = `INSERT INTO processed_updates (channel, update_key, created_at) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}
        ON CONFLICT (channel, update_key) DO NOTHING`;
      try {
        await fast.run(
          sql,
          part.flatMap(([c, k]) => [c, k, at]),
        );
      } catch (err) {
        this.deps.logger.error({ err: (err as Error).message, updates: part.length }, 'could not record handled updates; a redelivery may be handled again');
      }
    }
  }

  /** Forgets marks older than Telegram's retry horizon (a day is ample). */
  async prune(olderThanMs = 86_400_000): Promise<number> {
    const before = new Date(this.deps.now().getTime() - olderThanMs);
    return this.deps.db.transaction((t) => ProcessedUpdate.destroy({ where: { createdAt: { [Op.lt]: before } }, transaction: t }));
  }
}
