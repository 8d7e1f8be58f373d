import { Op, UniqueConstraintError } from 'sequelize';
import { ProcessedUpdate } from '../../models';
import type { ServiceDeps } from './deps';

/** Remembers handled update ids, so a retried webhook delivery is handled once. */
export class ProcessedUpdates {
  constructor(private readonly deps: ServiceDeps) {}

  /** Records the update; false when it was already recorded. */
  async claim(channel: string, updateId: string | number): Promise<boolean> {
    try {
      await this.deps.db.transaction((t) => ProcessedUpdate.create({ channel, updateId: String(updateId) }, { transaction: t }));
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintError) return false;
      throw err;
    }
  }

  /** Forgets ids older than Telegram's retry horizon (a day is ample). */
  async prune(olderThanMs = 86_400_000): Promise<number> {
    const before = new Date(this.deps.now().getTime() - olderThanMs);
    return this.deps.db.transaction((t) => ProcessedUpdate.destroy({ where: { createdAt: { [Op.lt]: before } }, transaction: t }));
  }
}
