import path from 'node:path';
import fs from 'node:fs';
import { Sequelize, Transaction } from 'sequelize';
import { Activity } from './Activity';
import { ActivityParticipant } from './ActivityParticipant';
import { Announcement } from './Announcement';
import { Admin } from './Admin';
import { BackgroundJob } from './BackgroundJob';
import { Application } from './Application';
import { AuditLog } from './AuditLog';
import { DutyRule } from './DutyRule';
import { FeePayment } from './FeePayment';
import { FeeProfile } from './FeeProfile';
import { FeeStandard } from './FeeStandard';
import { FeeStandardBand } from './FeeStandardBand';
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
import { FastSql, postgresFastSql, sqliteFastSql } from './fast-sql';
import { tuneSqliteConnections } from './sqlite-connections';
import { WriteLock } from './write-lock';

export { Activity, ActivityParticipant, Admin, Application, BackgroundJob, AuditLog, ChatBinding, Conversation, DutyRule, Invitation, JobLock, Organisation, OutboxMessage, Person, Post, ProcessedUpdate, RateLimit };
export { FeePayment, FeeProfile, FeeStandard, FeeStandardBand };
export { Announcement };

const MODELS = [Activity, ActivityParticipant, Admin, Application, BackgroundJob, AuditLog, ChatBinding, Conversation, DutyRule, Invitation, JobLock, Organisation, OutboxMessage, Person, Post, ProcessedUpdate, RateLimit, FeePayment, FeeProfile, FeeStandard, FeeStandardBand, Announcement];

/** The database: a Sequelize instance with the models initialised, and write transactions. */
export class Database {
  private readonly writeLock = new WriteLock();
  private readonly sqlite?: ReturnType<typeof tuneSqliteConnections>;

  /** Binds the (process-wide) model classes to this connection unless `bindModels` is false. */
  constructor(
    readonly sequelize: Sequelize,
    /** Plain SQL for the hot path (see fast-sql.ts). */
    readonly fast: FastSql,
    bindModels = true,
    /** The URL it was opened with (a PostgreSQL connection of its own needs it). */
    readonly url?: string,
  ) {
    if (bindModels) for (const model of MODELS) model.initModel(sequelize);
    if (sequelize.getDialect() === 'sqlite') this.sqlite = tuneSqliteConnections(sequelize);
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
    const sqlite = this.sqlite;
    if (!sqlite) return this.sequelize.transaction(fn);
    return this.writeLock.run(() => sqlite.asWriter(() => this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn)));
  }

  /**
   * Row lock for read-modify-write inside a transaction (none on SQLite, where writes are
   * serial). FOR NO KEY UPDATE, not FOR UPDATE: it does not conflict with the KEY SHARE locks
   * that inserting a row with a foreign key to the locked row takes, so a transaction that
   * inserts a child and then locks its parent cannot deadlock with a twin doing the same.
   */
  lockFor(t: Transaction) {
    return this.dialect === 'sqlite' ? undefined : t.LOCK.NO_KEY_UPDATE;
  }

  async ping(): Promise<boolean> {
    try {
      await this.sequelize.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** True when a write goes through within `timeoutMs` (a full disk or a read-only file says false). */
  async canWrite(now: Date, timeoutMs = 5000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const write = this.fast.run('INSERT INTO health_probes (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at', [
      this.fast.timestamp(now),
    ]);
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('write timed out')), timeoutMs)));
    try {
      await Promise.race([write, late]);
      return true;
    } catch {
      write.catch(() => undefined);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.fast.close();
    await this.sequelize.close();
  }
}

/** Opens the database named by a URL (`sqlite:<file>` or `postgres://…`). */
export async function openDatabase(url: string, opts: { logging?: (sql: string) => void; bindModels?: boolean } = {}): Promise<Database> {
  const bind = opts.bindModels ?? true;
  const logging = opts.logging ?? false;
  if (url.startsWith('sqlite:')) {
    const storage = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(storage)), { recursive: true });
    const sequelize = new Sequelize({ dialect: 'sqlite', storage, logging });
    return new Database(sequelize, await sqliteFastSql(storage), bind, url);
  }
  const sequelize = new Sequelize(url, { dialect: 'postgres', logging, pool: { max: 10 } });
  return new Database(sequelize, postgresFastSql(sequelize), bind, url);
}
