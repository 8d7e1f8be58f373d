import sqlite3 from 'sqlite3';
import { QueryTypes, Sequelize, Transaction } from 'sequelize';

/**
 * Plain parameterised SQL for the bot's hot path (update → state → reply), where Sequelize's
 * per-query cost dominates: on SQLite it runs `PRAGMA table_info` before every model SELECT
 * and opens a connection per transaction. SQL is written once with `?` placeholders, in the
 * common subset of SQLite and PostgreSQL. Only single statements: no transactions here, and
 * never a write from inside `Database.transaction` (on SQLite it would wait on that transaction).
 */
export interface FastSql {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a write; returns the number of rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** A timestamp parameter in the form the dialect's Sequelize columns hold. */
  timestamp(date: Date): unknown;
  close(): Promise<void>;
}

/** SQLite: a connection of its own, tuned like Sequelize's (WAL, busy timeout). */
export async function sqliteFastSql(storage: string): Promise<FastSql> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(storage, (err) => (err ? reject(err) : resolve(d)));
  });
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  await exec('PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  return {
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[])))),
    run: (sql, params = []) =>
      new Promise<number>((resolve, reject) =>
        db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
          return err ? reject(err) : resolve(this.changes);
        }),
      ),
    // Sequelize's SQLite DATE format, so both sides compare as equal strings.
    timestamp: (d) => d.toISOString().replace('T', ' ').replace('Z', ' +00:00'),
    close: () => new Promise((resolve) => db.close(() => resolve())),
  };
}

/** PostgreSQL: through Sequelize's pool, with `?` turned into `$n` bind parameters. */
export function postgresFastSql(sequelize: Sequelize): FastSql {
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    all: <T>(sql: string, params: unknown[] = []) => sequelize.query(numbered(sql), { bind: params, type: QueryTypes.SELECT, raw: true }) as Promise<T[]>,
    async run(sql, params = []) {
      const [, meta] = (await sequelize.query(numbered(sql), { bind: params, raw: true })) as [unknown, { rowCount?: number } | number];
      return typeof meta === 'number' ? meta : (meta?.rowCount ?? 0);
    },
    timestamp: (d) => d,
    close: async () => undefined,
  };
}

/**
 * Multi-row INSERTs of many rows inside a Sequelize transaction, through the driver itself
 * (Sequelize's own bulkCreate spends most of its time building and escaping SQL). Columns are
 * table column names; values are plain (strings, numbers, booleans, null, Date).
 */
export async function bulkInsert(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  columns: string[],
  rows: unknown[][],
  onChunk?: (done: number) => void | Promise<void>,
): Promise<void> {
  const sqlite = sequelize.getDialect() === 'sqlite';
  // SQLite allows 32766 variables per statement, PostgreSQL 65535.
  const perChunk = Math.max(1, Math.floor((sqlite ? 32000 : 65000) / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params = chunk.flat().map((v) => (v instanceof Date && sqlite ? v.toISOString().replace('T', ' ').replace('Z', ' +00:00') : typeof v === 'boolean' && sqlite ? Number(v) : v));
    let n = 0;
    const tuples = chunk.map(() => `(${columns.map(() => (sqlite ? '?' : `$${++n}`)).join(', ')})`).join(', ');
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples}`;
    if (sqlite) {
      const conn = (transaction as unknown as { connection: sqlite3.Database }).connection;
      await new Promise<void>((resolve, reject) => conn.run(sql, params, (err) => (err ? reject(err) : resolve())));
    } else {
      await sequelize.query(sql, { bind: params, transaction, raw: true });
    }
    await onChunk?.(Math.min(rows.length, start + perChunk));
  }
}
