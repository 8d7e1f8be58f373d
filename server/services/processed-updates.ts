import { Op } from 'sequelize';
import { ProcessedUpdate } from '../../models';
import type { ServiceDeps } from './deps';

/** Remembers handled update ids, so a retried webhook delivery is handled once. */
export class ProcessedUpdates {
  constructor(private readonly deps: ServiceDeps) {}

  /** Records the update; false when it was already recorded. One statement: this is on every update's path. */
  async claim(channel: string, updateId: string | number): Promise<boolean> {
    const { fast } = this.deps.db;
    const changed = await fast.run(
      'INSERT INTO processed_updates (channel, update_id, created_at) VALUES (?, ?, ?) ON CONFLICT (channel, update_id) DO NOTHING',
      [channel, String(updateId), fast.timestamp(this.deps.now())],
    );
    return changed > 0;
  }

  /** Forgets ids older than Telegram's retry horizon (a day is ample). */
  async prune(olderThanMs = 86_400_000): Promise<number> {
    const before = new Date(this.deps.now().getTime() - olderThanMs);
    return this.deps.db.transaction((t) => ProcessedUpdate.destroy({ where: { createdAt: { [Op.lt]: before } }, transaction: t }));
  }
}
