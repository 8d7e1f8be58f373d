import { Op } from 'sequelize';
import { JobLock } from '../../models';
import type { ServiceDeps } from './deps';

/** Leases in the database: a scheduled job runs in one process at a time. */
export class JobLocks {
  constructor(private readonly deps: ServiceDeps) {}

  /** Takes the lease on `name` for `ttlMs` unless another owner holds a live one. */
  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.deps.now();
    const until = new Date(now.getTime() + ttlMs);
    return this.deps.db.transaction(async (t) => {
      const [taken] = await JobLock.update(
        { owner, lockedUntil: until },
        { where: { name, [Op.or]: [{ lockedUntil: { [Op.lt]: now } }, { owner }] }, transaction: t },
      );
      if (taken > 0) return true;
      if (await JobLock.findByPk(name, { transaction: t })) return false;
      await JobLock.create({ name, owner, lockedUntil: until }, { transaction: t });
      return true;
    }).catch(() => false);
  }

  async release(name: string, owner: string): Promise<void> {
    await this.deps.db.transaction((t) => JobLock.destroy({ where: { name, owner }, transaction: t }));
  }
}
