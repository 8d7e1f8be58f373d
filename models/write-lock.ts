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
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Writers waiting for their turn (not counting the one that holds it). */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>, waitMs: number): Promise<T> {
    await this.acquire(waitMs);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(waitMs: number): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new DatabaseBusyError(waitMs));
      }, waitMs);
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the turn passes straight on: `held` stays true
    else this.held = false;
  }
}
