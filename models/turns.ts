/**
 * A counting semaphore with deadlines: at most `size` holders at once, the rest served in
 * arrival order; a waiter not served within its wait leaves the queue with the error `late`
 * makes. The database's write lock is one of one place; password hashing has a few.
 */
export class Turns {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Waiters not served yet. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>, waitMs: number, late: () => Error): Promise<T> {
    if (this.free > 0) this.free--;
    else await this.wait(waitMs, late);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the place passes straight on
      else this.free++;
    }
  }

  private wait(waitMs: number, late: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const take = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(late());
      }, waitMs);
      this.waiting.push(take);
    });
  }
}
