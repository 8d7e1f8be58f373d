import type { Sequelize } from 'sequelize';

type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void };
type ConnectionManager = {
  getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): unknown;
};

/**
 * How long a statement waits for SQLite's lock while another process or thread (an import's
 * worker, `npm run chat`) writes. Within a process writes take turns (WriteLock), so at most
 * one pool thread of a process ever sleeps here.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

const PRAGMAS = [`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, 'PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL', 'PRAGMA foreign_keys = ON'];

const runAll = async (conn: SqliteConnection, pragmas: readonly string[]) => {
  for (const sql of pragmas) await new Promise<void>((resolve, reject) => conn.run(sql, (err) => (err ? reject(err) : resolve())));
  return conn;
};

/**
 * Tunes Sequelize's SQLite connections, which it opens without hooks and anew for every
 * transaction: each connection gets a busy timeout, WAL and NORMAL sync once; and the
 * transactions started through `asWriter` (already serialised by the write lock) share one
 * long-lived writer connection instead of opening and closing a file per transaction.
 */
export function tuneSqliteConnections(sequelize: Sequelize): { asWriter<T>(start: () => Promise<T>): Promise<T> } {
  const cm = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  const getConnection = cm.getConnection.bind(cm);
  const releaseConnection = cm.releaseConnection.bind(cm);
  const configured = new WeakSet<object>();
  let writer: Promise<SqliteConnection> | null = null;
  let writerConnection: SqliteConnection | null = null;
  // Set only while `start` runs synchronously: Sequelize asks for the transaction's
  // connection before its first await, so no other transaction can take the writer.
  let nextIsWriter = false;

  const configure = async (conn: SqliteConnection) => {
    if (configured.has(conn)) return conn;
    configured.add(conn);
    return runAll(conn, PRAGMAS);
  };

  cm.getConnection = async (options = {}) => {
    if (options.uuid && nextIsWriter) {
      nextIsWriter = false;
      writer ??= getConnection({ uuid: 'writer' })
        .then(configure)
        .then((c) => (writerConnection = c));
      return writer;
    }
    return configure(await getConnection(options));
  };
  cm.releaseConnection = (connection, force) => {
    // The writer stays open between transactions; closing the database closes it.
    if (connection === writerConnection && !force) return undefined;
    return releaseConnection(connection, force);
  };
  return {
    asWriter(start) {
      nextIsWriter = true;
      try {
        return start();
      } finally {
        nextIsWriter = false;
      }
    },
  };
}
