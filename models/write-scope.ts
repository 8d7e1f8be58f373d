import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which write transaction the running code is inside, if any. A write transaction must await
 * nothing but its own database work: a second write, a password hash, a chat's lock or a
 * Telegram call awaited inside one holds the database (on SQLite, the whole file) while it
 * waits, and when that wait itself needs the database the process wedges. So every such wait
 * asks here first and is refused at once, as a bug, instead of waiting.
 */
interface Held {
  active: boolean;
}

const scope = new AsyncLocalStorage<Held>();

/** A wait for something other than the transaction's own database, from inside a write transaction: a bug. */
export class WaitInTransactionError extends Error {
  constructor(what: string) {
    super(`${what} awaited inside a write transaction: pass the transaction on, or do it before or after (afterCommit)`);
    this.name = 'WaitInTransactionError';
  }
}

/** True while the calling code runs inside a write transaction that is still open. */
export function insideWriteTransaction(): boolean {
  return scope.getStore()?.active === true;
}

/** Refuses `what` (a wait on something else than the transaction's own database) inside a write transaction. */
export function assertOutsideWriteTransaction(what: string): void {
  if (insideWriteTransaction()) throw new WaitInTransactionError(what);
}

/** Runs `fn` as the body of a write transaction: what it starts is inside until it settles. */
export async function asWriteTransaction<T>(fn: () => Promise<T>): Promise<T> {
  const held: Held = { active: true };
  try {
    return await scope.run(held, fn);
  } finally {
    held.active = false;
  }
}

/**
 * Runs `fn` outside any write transaction: for work started from inside one that is not
 * awaited by it (an event that starts a background run, say), which must wait its turn.
 */
export function detached<T>(fn: () => T): T {
  return scope.exit(fn);
}
