import { Client } from 'pg';
import { assertOutsideWriteTransaction } from '../../../models/write-scope';
import { BusyError } from '../../errors';
import type { ServiceDeps } from '../deps';

/** How often a process asks again for a chat that another process is handling. */
const RETRY_MS = 20;
/** Longest an update waits for its chat: past it the update is answered busy, not left hanging. */
export const CHAT_LOCK_WAIT_MS = 60_000;

/**
 * One chat's updates are handled one at a time across processes. Within a process the flow
 * runner's queue already does it; several processes share only PostgreSQL (SQLite serves one
 * process), so there a session advisory lock per chat, held on a connection of its own, makes
 * a second process wait. A process that dies loses its connection, and its locks with it.
 */
export class ChatLocks {
  private client: Promise<Client> | null = null;
  private closed = false;

  constructor(private readonly deps: Pick<ServiceDeps, 'db' | 'logger'>) {}

  /** Several processes may share this database (PostgreSQL): the locks are real, and marks must be written before they are let go. */
  get shared(): boolean {
    return this.deps.db.dialect === 'postgres';
  }

  /** Runs `fn` while holding the chat's lock (on SQLite, at once). */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const url = this.deps.db.url;
    assertOutsideWriteTransaction('a chat lock');
    if (this.deps.db.dialect !== 'postgres' || !url) return fn();
    const client = await this.connect(url);
    const giveUpAt = Date.now() + CHAT_LOCK_WAIT_MS;
    // Two chats may share a 32-bit hash: that only makes them wait for each other.
    while (!(await client.query('SELECT pg_try_advisory_lock(1, hashtext($1)) AS ok', [key])).rows[0].ok) {
      if (Date.now() > giveUpAt) throw new BusyError('a chat lock');
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(1, hashtext($1))', [key]).catch((err: Error) => {
        this.deps.logger.warn({ err: err.message }, 'chat lock release failed; the lock ends with its connection');
      });
    }
  }

  private connect(url: string): Promise<Client> {
    if (this.closed) throw new Error('chat locks closed');
    this.client ??= (async () => {
      const c = new Client({ connectionString: url });
      c.on('error', (err) => {
        this.deps.logger.warn({ err: err.message }, 'chat lock connection lost; reconnecting on next use');
        this.client = null;
      });
      await c.connect();
      return c;
    })().catch((err) => {
      this.client = null;
      throw err;
    });
    return this.client;
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    if (c) await (await c.catch(() => null))?.end().catch(() => undefined);
  }
}
