import type { ServiceDeps } from '../deps';
import { isDeadHere } from './lease-owners';

/** A lease taken: who held it before, if they never released it (their lease ran out: taken to be dead). */
export interface Lease {
  takenOverFrom: string | null;
}

/**
 * Leases in the database: a scheduled job runs in one process at a time, and each scheduled
 * run (its slot, the time the schedule fired) happens once across processes. A holder renews
 * its lease while the job runs; a lease that runs out is taken over.
 */
export class JobLocks {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Takes the lease on `name` for `ttlMs` unless a live one is held (also by `owner` itself:
   * a run never overlaps the one before it) or `slot` was run already. Returns null when not taken.
   */
  async acquire(name: string, owner: string, ttlMs: number, slot?: Date): Promise<Lease | null> {
    const { fast } = this.deps.db;
    const now = this.deps.now();
    const at = fast.timestamp(now);
    const until = fast.timestamp(new Date(now.getTime() + ttlMs));
    await fast.run('INSERT INTO job_locks (name, owner, locked_until) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [name, '', at]);
    const [held] = await fast.all<{ owner: string }>('SELECT owner FROM job_locks WHERE name = ?', [name]);
    if (!held) return null;
    // A holder of this machine that no longer runs (a crash, then this restart) is not waited for.
    const expiredBy = isDeadHere(held.owner) ? fast.timestamp(new Date('9999-12-31T00:00:00Z')) : at;
    // Taken only if nobody took it since it was read: a second process at the same moment changes no row.
    const slotFree = slot ? 'AND (last_slot IS NULL OR last_slot < ?)' : '';
    const changed = await fast.run(
      `UPDATE job_locks SET owner = ?, locked_until = ?${slot ? ', last_slot = ?' : ''}
       WHERE name = ? AND owner = ? AND locked_until <= ? ${slotFree}`,
      [owner, until, ...(slot ? [fast.timestamp(slot)] : []), name, held.owner, expiredBy, ...(slot ? [fast.timestamp(slot)] : [])],
    );
    if (changed === 0) return null;
    return { takenOverFrom: held.owner && held.owner !== owner ? held.owner : null };
  }

  /** Extends a held lease; false when it was lost (taken over after running out). */
  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const { fast } = this.deps.db;
    const until = fast.timestamp(new Date(this.deps.now().getTime() + ttlMs));
    return (await fast.run('UPDATE job_locks SET locked_until = ? WHERE name = ? AND owner = ?', [until, name, owner])) > 0;
  }

  /** Ends a held lease now (the slot stays taken); the next holder takes over from nobody. */
  async release(name: string, owner: string): Promise<void> {
    const { fast } = this.deps.db;
    await fast.run("UPDATE job_locks SET owner = '', locked_until = ? WHERE name = ? AND owner = ?", [fast.timestamp(this.deps.now()), name, owner]);
  }
}
