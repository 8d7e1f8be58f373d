import { Turns } from './turns';

/** Waiting for the database took longer than its deadline: the work was not done (try again later). */
export class DatabaseBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`database busy: no write turn within ${waitedMs} ms`);
    this.name = 'DatabaseBusyError';
  }
}

/**
 * An in-process FIFO mutex: SQLite has one writer, so every write of the process (Sequelize
 * transactions, single statements, health probes) queues here instead of racing for SQLite's
 * lock on pool threads. A waiter that is not served within its deadline gives up.
 */
export class WriteLock {
  private readonly turns = new Turns(1);

  /** Writers waiting for their turn (not counting the one that holds it). */
  get queued(): number {
    return this.turns.queued;
  }

  run<T>(fn: () => Promise<T>, waitMs: number): Promise<T> {
    return this.turns.run(fn, waitMs, () => new DatabaseBusyError(waitMs));
  }
}
