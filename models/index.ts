import path from 'node:path';
import fs from 'node:fs';
import { QueryTypes, Sequelize, Transaction } from 'sequelize';
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
import { assertOutsideWriteTransaction, asWriteTransaction } from './write-scope';

export {
  Activity,
  ActivityParticipant,
  Admin,
  Application,
  BackgroundJob,
  AuditLog,
  ChatBinding,
  Conversation,
  DutyRule,
  Invitation,
  JobLock,
  Organisation,
  OutboxMessage,
  Person,
  Post,
  ProcessedUpdate,
  RateLimit,
};
export { FeePayment, FeeProfile, FeeStandard, FeeStandardBand };
export { Announcement };

const MODELS = [
  Activity,
  ActivityParticipant,
  Admin,
  Application,
  BackgroundJob,
  AuditLog,
  ChatBinding,
  Conversation,
  DutyRule,
  Invitation,
  JobLock,
  Organisation,
  OutboxMessage,
  Person,
  Post,
  ProcessedUpdate,
  RateLimit,
  FeePayment,
  FeeProfile,
  FeeStandard,
  FeeStandardBand,
  Announcement,
];

/** Longest a write waits for its turn on SQLite before it gives up with DatabaseBusyError. */
export const WRITE_WAIT_MS = 30_000;
/** Longest a write transaction may run before it is rolled back (a bulk write asks for more). */
export const TRANSACTION_DEADLINE_MS = 20_000;
/** The deadline of a bulk write: an import's people, a data set loaded for a benchmark. */
export const BULK_WRITE_DEADLINE_MS = 10 * 60_000;

/** Options of {@link Database.transaction}. */
export interface TransactionOptions {
  /** Longest the transaction may run before it is rolled back, in ms. */
  deadlineMs?: number;
}

/** Where the database reports a transaction it rolled back for running past its deadline. */
export interface DatabaseLog {
  error(details: object, message: string): void;
}

/** A transaction ran past its deadline and was rolled back. */
export class TransactionDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`write transaction still running after ${deadlineMs} ms: rolled back`);
    this.name = 'TransactionDeadlineError';
  }
}

const WRITE_TYPES = new Set<string>([QueryTypes.INSERT, QueryTypes.UPDATE, QueryTypes.BULKUPDATE, QueryTypes.BULKDELETE, QueryTypes.DELETE, QueryTypes.UPSERT]);
const WRITE_SQL = /^\s*(?:WITH\b[\s\S]*?\b)?(?:INSERT|UPDATE|DELETE|REPLACE)\b/i;

/** A statement that changes rows (schema changes and PRAGMAs are not: they run at migration, alone). */
function isRowWrite(sql: unknown, options?: { type?: string }): boolean {
  if (options?.type && WRITE_TYPES.has(options.type)) return true;
  const text = typeof sql === 'string' ? sql : (sql as { query?: string } | null)?.query;
  return typeof text === 'string' && WRITE_SQL.test(text);
}

/** The database: a Sequelize instance with the models initialised, and write transactions. */
export class Database {
  private readonly writeLock = new WriteLock();
  private readonly sqlite?: ReturnType<typeof tuneSqliteConnections>;
  /** Plain SQL for the hot path (see fast-sql.ts); on SQLite its writes take their turn with every other write. */
  readonly fast: FastSql;

  /** Binds the (process-wide) model classes to this connection unless `bindModels` is false. */
  constructor(
    readonly sequelize: Sequelize,
    fast: FastSql,
    bindModels = true,
    /** The URL it was opened with (a PostgreSQL connection of its own needs it). */
    readonly url?: string,
    private readonly log?: DatabaseLog,
  ) {
    if (bindModels) for (const model of MODELS) model.initModel(sequelize);
    if (sequelize.getDialect() === 'sqlite') this.sqlite = tuneSqliteConnections(sequelize);
    this.fast = {
      ...fast,
      run: (sql, params) => this.write(() => fast.run(sql, params)),
      writeReturning: (sql, params) => this.write(() => fast.writeReturning(sql, params)),
    };
    this.routeLooseWrites();
  }

  get dialect(): string {
    return this.sequelize.getDialect();
  }

  /** Writers waiting for their turn (SQLite; always 0 on PostgreSQL). */
  get writesQueued(): number {
    return this.writeLock.queued;
  }

  /**
   * Runs `fn` in a write transaction, rolled back if it runs past its deadline. On SQLite,
   * writes are serialised in-process and the transaction is IMMEDIATE, since SQLite allows one
   * writer and Sequelize sets no busy handling of its own; on PostgreSQL this is a plain
   * transaction. Given `existing`, runs inside it instead. `fn` awaits only the database:
   * another write, a hash or a lock awaited inside it is refused (see write-scope.ts).
   */
  async transaction<T>(fn: (t: Transaction) => Promise<T>, existing?: Transaction, opts: TransactionOptions = {}): Promise<T> {
    if (existing) return fn(existing); // joins the caller's transaction: never nest (the write lock is not re-entrant)
    assertOutsideWriteTransaction('another write transaction');
    const deadlineMs = opts.deadlineMs ?? TRANSACTION_DEADLINE_MS;
    const body = (t: Transaction) => asWriteTransaction(() => this.withinDeadline(fn(t), deadlineMs));
    const sqlite = this.sqlite;
    if (!sqlite) return this.sequelize.transaction(body);
    return this.writeLock.run(() => sqlite.asWriter(() => this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, body)), WRITE_WAIT_MS);
  }

  /** One write outside a transaction: on SQLite it takes its turn, so no two writes of this process race for the file. */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    assertOutsideWriteTransaction('a write on another connection');
    return this.sqlite ? this.writeLock.run(fn, WRITE_WAIT_MS) : fn();
  }

  /**
   * A model write given no transaction (`Model.update(…)` alone) runs on SQLite as a write
   * transaction of its own, so it too takes its turn instead of waiting on SQLite's lock
   * on a pool thread; on either database it is refused inside another write transaction.
   */
  private routeLooseWrites(): void {
    const query = this.sequelize.query.bind(this.sequelize) as (sql: unknown, options?: Record<string, unknown>) => Promise<unknown>;
    const routed = (sql: unknown, options?: Record<string, unknown>) => {
      if (options?.transaction || !isRowWrite(sql, options as { type?: string })) return query(sql, options);
      if (!this.sqlite) return this.write(() => query(sql, options));
      return this.transaction((t) => query(sql, { ...options, transaction: t }));
    };
    (this.sequelize as unknown as { query: typeof routed }).query = routed;
  }

  /** `work`, or a TransactionDeadlineError once it has run `ms`: the transaction is then rolled back, and logged. */
  private withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.log?.error({ deadlineMs: ms }, 'write transaction ran past its deadline; rolled back');
        reject(new TransactionDeadlineError(ms));
      }, ms);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
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
export async function openDatabase(url: string, opts: { logging?: (sql: string) => void; bindModels?: boolean; log?: DatabaseLog } = {}): Promise<Database> {
  const bind = opts.bindModels ?? true;
  const logging = opts.logging ?? false;
  if (url.startsWith('sqlite:')) {
    const storage = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(storage)), { recursive: true });
    const sequelize = new Sequelize({ dialect: 'sqlite', storage, logging });
    return new Database(sequelize, await sqliteFastSql(storage), bind, url, opts.log);
  }
  // Every wait has an end: a connection from the pool, and a transaction left idle by a stuck process.
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging,
    pool: { max: 10, acquire: WRITE_WAIT_MS },
    // No JIT: these are short queries, and a subtree's per-member lookups (fees) look costly
    // enough to the planner to compile for seconds (8.4 s of a 9 s province summary) to run in 1.
    dialectOptions: { idle_in_transaction_session_timeout: 2 * TRANSACTION_DEADLINE_MS, options: '-c jit=off' },
  });
  return new Database(sequelize, postgresFastSql(sequelize), bind, url, opts.log);
}
