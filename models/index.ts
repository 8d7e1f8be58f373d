import path from 'node:path';
import fs from 'node:fs';
import { Sequelize, Transaction } from 'sequelize';
import { Admin } from './Admin';
import { AuditLog } from './AuditLog';
import { ChatBinding } from './ChatBinding';
import { Conversation } from './Conversation';
import { Invitation } from './Invitation';
import { JobLock } from './JobLock';
import { Organisation } from './Organisation';
import { OutboxMessage } from './OutboxMessage';
import { Person } from './Person';
import { Post } from './Post';
import { ProcessedUpdate } from './ProcessedUpdate';
import { RateLimit } from './RateLimit';
import { WriteLock } from './write-lock';

export { Admin, AuditLog, ChatBinding, Conversation, Invitation, JobLock, Organisation, OutboxMessage, Person, Post, ProcessedUpdate, RateLimit };

const MODELS = [Admin, AuditLog, ChatBinding, Conversation, Invitation, JobLock, Organisation, OutboxMessage, Person, Post, ProcessedUpdate, RateLimit];

/** The database: a Sequelize instance with the models initialised, and write transactions. */
export class Database {
  private readonly writeLock = new WriteLock();

  /** Binds the (process-wide) model classes to this connection unless `bindModels` is false. */
  constructor(readonly sequelize: Sequelize, bindModels = true) {
    if (bindModels) for (const model of MODELS) model.initModel(sequelize);
  }

  get dialect(): string {
    return this.sequelize.getDialect();
  }

  /**
   * Runs `fn` in a write transaction. On SQLite, writes are serialised in-process and the
   * transaction is IMMEDIATE, since SQLite allows one writer and Sequelize sets no busy
   * handling of its own; on PostgreSQL this is a plain transaction. Given `existing`, runs
   * inside it instead.
   */
  async transaction<T>(fn: (t: Transaction) => Promise<T>, existing?: Transaction): Promise<T> {
    if (existing) return fn(existing); // joins the caller's transaction: never nest (the write lock is not re-entrant)
    if (this.dialect !== 'sqlite') return this.sequelize.transaction(fn);
    return this.writeLock.run(() =>
      this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn),
    );
  }

  /** Row lock for read-modify-write inside a transaction (no-op on SQLite, where writes are serial). */
  lockFor(_t: Transaction): boolean {
    return this.dialect !== 'sqlite';
  }

  async ping(): Promise<boolean> {
    try {
      await this.sequelize.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.sequelize.close();
  }
}

/** Opens the database named by a URL (`sqlite:<file>` or `postgres://…`). */
export function openDatabase(url: string, opts: { logging?: (sql: string) => void; bindModels?: boolean } = {}): Database {
  const bind = opts.bindModels ?? true;
  const logging = opts.logging ?? false;
  if (url.startsWith('sqlite:')) {
    const storage = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(storage)), { recursive: true });
    const sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging,
      hooks: {
        // Every new SQLite connection waits for a lock instead of failing at once, and uses WAL.
        afterConnect: async (connection: unknown) => {
          const db = connection as { run(sql: string, cb: (err: Error | null) => void): void };
          for (const sql of ['PRAGMA busy_timeout = 10000', 'PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL', 'PRAGMA foreign_keys = ON']) {
            await new Promise<void>((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
          }
        },
      },
    });
    return new Database(sequelize, bind);
  }
  return new Database(new Sequelize(url, { dialect: 'postgres', logging, pool: { max: 10 } }), bind);
}
