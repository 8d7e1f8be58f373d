import sqlite3 from 'sqlite3';
import { type Model, type ModelStatic, QueryTypes, Sequelize, Transaction } from 'sequelize';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-connections';

/**
 * Plain parameterised SQL for the bot's hot path (update → state → reply), where Sequelize's
 * per-query cost dominates: on SQLite it runs `PRAGMA table_info` before every model SELECT
 * and opens a connection per transaction. SQL is written once with `?` placeholders, in the
 * common subset of SQLite and PostgreSQL. Only single statements: no transactions here, and
 * never a write from inside `Database.transaction` (refused: see write-scope.ts). Database.fast serialises the writes on SQLite.
 */
export interface FastSql {
  /** A read. On SQLite it has a connection of its own: it never waits behind a write that waits for the lock. */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a write; returns the number of rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** A write that returns rows (`UPDATE … RETURNING`). */
  writeReturning<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A timestamp parameter in the form the dialect's Sequelize columns hold. */
  timestamp(date: Date): unknown;
  close(): Promise<void>;
}

/** One SQLite connection with its statements prepared once per SQL text. */
async function sqliteConnection(storage: string, mode: number) {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(storage, mode, (err) => (err ? reject(err) : resolve(d)));
  });
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  await exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;`);
  // Prepared once per SQL text: parsing and planning a joined query costs more than running it.
  const statements = new Map<string, sqlite3.Statement>();
  const statement = (sql: string) => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };
  return {
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => statement(sql).all(params, (err, rows) => (err ? reject(err) : resolve(rows as T[])))),
    run: (sql: string, params: unknown[] = []) =>
      new Promise<number>((resolve, reject) =>
        statement(sql).run(params, function (this: sqlite3.RunResult, err: Error | null) {
          return err ? reject(err) : resolve(this.changes);
        }),
      ),
    async close() {
      for (const st of statements.values()) await new Promise<void>((resolve) => st.finalize(() => resolve()));
      await new Promise<void>((resolve) => db.close(() => resolve()));
    },
  };
}

/**
 * SQLite: two connections of its own, tuned like Sequelize's (WAL, busy timeout), one for
 * reads and one for writes. A write waits while another connection (an import's one
 * transaction) holds the lock, and a connection does one statement at a time: reads on the
 * same connection would wait behind it. In WAL mode a read never waits for a writer.
 */
export async function sqliteFastSql(storage: string): Promise<FastSql> {
  const writer = await sqliteConnection(storage, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
  const reader = await sqliteConnection(storage, sqlite3.OPEN_READWRITE);
  return {
    all: reader.all,
    run: writer.run,
    writeReturning: writer.all,
    // Sequelize's SQLite DATE format, so both sides compare as equal strings.
    timestamp: (d) => d.toISOString().replace('T', ' ').replace('Z', ' +00:00'),
    async close() {
      await reader.close();
      await writer.close();
    },
  };
}

/** PostgreSQL: through Sequelize's pool, with `?` turned into `$n` bind parameters. */
export function postgresFastSql(sequelize: Sequelize): FastSql {
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const all = <T>(sql: string, params: unknown[] = []) => sequelize.query(numbered(sql), { bind: params, type: QueryTypes.SELECT, raw: true }) as Promise<T[]>;
  return {
    all,
    writeReturning: all,
    async run(sql, params = []) {
      const [, meta] = (await sequelize.query(numbered(sql), { bind: params, raw: true })) as [unknown, { rowCount?: number } | number];
      return typeof meta === 'number' ? meta : (meta?.rowCount ?? 0);
    },
    timestamp: (d) => d,
    close: async () => undefined,
  };
}

/** SQLite's form of a timestamp, as Sequelize writes DATE columns. */
const sqliteDate = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', ' +00:00');

/** The row with Dates in Sequelize's form, or null when a value has no faithful JSON form (a Buffer, a bigint, a non-finite number). */
function sqliteJsonRow(row: unknown[]): unknown[] | null {
  let copied: unknown[] | null = null;
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    if (!(v instanceof Date)) return null;
    copied ??= row.slice();
    copied[c] = sqliteDate(v);
  }
  return copied ?? row;
}

/**
 * The chunk as a JSON array in UTF-8 bytes (booleans as JSON true/false, which `->>` reads as
 * 1/0), or null when a value must be bound as a parameter instead. Written row by row into
 * bytes: one text of the whole chunk would be a large object (kept until a full GC) and the
 * driver would convert it to UTF-8 on the calling thread anyway.
 */
function sqliteJson(chunk: unknown[][]): Buffer | null {
  let out = Buffer.allocUnsafe(chunk.length * 256 + 2);
  let at = 0;
  out[at++] = 0x5b; // [
  for (let r = 0; r < chunk.length; r++) {
    const row = sqliteJsonRow(chunk[r]);
    if (row === null) return null;
    const text = JSON.stringify(row);
    const room = at + text.length * 3 + 2; // UTF-8 takes at most 3 bytes per UTF-16 unit; a comma; the closing ]
    if (room > out.length) {
      const larger = Buffer.allocUnsafe(Math.max(room, out.length * 2));
      out.copy(larger, 0, 0, at);
      out = larger;
    }
    if (r > 0) out[at++] = 0x2c; // ,
    at += out.write(text, at);
  }
  out[at++] = 0x5d; // ]
  return out.subarray(0, at);
}

/**
 * Rows of plain values (strings, numbers, booleans, null, Dates) as one JSON array of arrays in
 * UTF-8 bytes, for {@link insertJsonRows}: a compact form to hold many rows in until they are
 * written. Throws on a value JSON cannot carry faithfully.
 */
export function encodeJsonRows(rows: unknown[][]): Buffer {
  const json = sqliteJson(rows);
  if (json === null) throw new Error('encodeJsonRows: a value has no faithful JSON form');
  return json;
}

/**
 * Inserts rows encoded by {@link encodeJsonRows} in one statement inside a transaction: on
 * SQLite read back by `jsonb_each`, on PostgreSQL by `json_array_elements` with a cast per
 * column where the text is not what the column holds (`casts`, e.g. `{ branch_id: 'integer' }`).
 * `same` holds columns whose value is the same in every row, bound once; `orderBy` (a column
 * index) inserts the rows in that column's order.
 */
export async function insertJsonRows(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  columns: string[],
  json: Buffer,
  opts: { same?: Record<string, unknown>; casts?: Record<string, string>; orderBy?: number } = {},
): Promise<void> {
  const { same = {}, casts = {}, orderBy } = opts;
  const sameColumns = Object.keys(same);
  const allColumns = [...columns, ...sameColumns].join(', ');
  if (sequelize.getDialect() === 'sqlite') {
    const conn = (transaction as unknown as { connection: sqlite3.Database }).connection;
    const order = orderBy === undefined ? '' : ` ORDER BY value ->> ${orderBy}`;
    const sql = `INSERT INTO ${table} (${allColumns}) SELECT ${[...columns.map((_, i) => `value ->> ${i}`), ...sameColumns.map(() => '?')].join(', ')} FROM jsonb_each(CAST(? AS TEXT))${order}`;
    await new Promise<void>((resolve, reject) => conn.run(sql, [...Object.values(same).map(sqliteParam), json], (err) => (err ? reject(err) : resolve())));
    return;
  }
  const picks = columns.map((c, i) => (casts[c] ? `(e ->> ${i})::${casts[c]}` : `e ->> ${i}`));
  const order = orderBy === undefined ? '' : ` ORDER BY e ->> ${orderBy}`;
  const sql = `INSERT INTO ${table} (${allColumns}) SELECT ${[...picks, ...sameColumns.map((_, i) => `$${i + 2}`)].join(', ')} FROM json_array_elements($1::json) AS e${order}`;
  await sequelize.query(sql, { bind: [json.toString('utf8'), ...Object.values(same)], transaction, raw: true });
}

/** A value as the sqlite3 driver binds it the way Sequelize stores it. */
const sqliteParam = (v: unknown): unknown => (v instanceof Date ? sqliteDate(v) : typeof v === 'boolean' ? Number(v) : v);

/**
 * Multi-row INSERTs of many rows inside a Sequelize transaction, through the driver itself
 * (Sequelize's own bulkCreate spends most of its time building and escaping SQL). Columns are
 * table column names; values are plain (strings, numbers, booleans, null, Date); `same` holds
 * columns whose value is the same in every row, given once. On SQLite a chunk travels as one
 * JSON document read back by `jsonb_each`: the driver binds 30,000 values one at a time far
 * more slowly than SQLite parses them.
 */
export async function bulkInsert(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  columns: string[],
  rows: unknown[][],
  same: Record<string, unknown> = {},
): Promise<void> {
  const sqlite = sequelize.getDialect() === 'sqlite';
  const sameColumns = Object.keys(same);
  const sameValues = Object.values(same);
  const allColumns = [...columns, ...sameColumns].join(', ');
  // SQLite allows 32766 variables per statement, PostgreSQL 65535.
  const perChunk = Math.max(1, Math.floor((sqlite ? 32000 : 65000) / (columns.length + sameColumns.length)));
  const conn = sqlite ? (transaction as unknown as { connection: sqlite3.Database }).connection : null;
  const run = (sql: string, params: unknown[]) => new Promise<void>((resolve, reject) => conn!.run(sql, params, (err) => (err ? reject(err) : resolve())));
  // jsonb: each `->>` reads the row without parsing it again.
  const fromJson = `INSERT INTO ${table} (${allColumns}) SELECT ${[...columns.map((_, i) => `value ->> ${i}`), ...sameColumns.map(() => '?')].join(', ')} FROM jsonb_each(CAST(? AS TEXT))`; // bytes bound as a blob, read as the text they are
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const json = sqlite ? sqliteJson(chunk) : null;
    if (json !== null) {
      await run(fromJson, [...sameValues.map(sqliteParam), json]);
      continue;
    }
    const params = chunk.flatMap((row) => [...row, ...sameValues]).map((v) => (sqlite ? sqliteParam(v) : v));
    let n = 0;
    const width = columns.length + sameColumns.length;
    const tuples = chunk.map(() => `(${Array.from({ length: width }, () => (sqlite ? '?' : `$${++n}`)).join(', ')})`).join(', ');
    const sql = `INSERT INTO ${table} (${allColumns}) VALUES ${tuples}`;
    if (sqlite) await run(sql, params);
    else await sequelize.query(sql, { bind: params, transaction, raw: true });
  }
}

/**
 * A model instance from a row read with FastSql (column names as in the table): the model's
 * own sanitizers turn SQLite's date strings into Dates and 0/1 into booleans. For reads on the
 * hot path that need the model's shape, without Sequelize's per-query cost.
 */
export function modelFromRow<M extends Model>(model: ModelStatic<M>, row: Record<string, unknown>): M {
  const values: Record<string, unknown> = {};
  for (const [attr, def] of Object.entries(model.getAttributes())) {
    const column = (def as { field?: string }).field ?? attr;
    if (column in row) values[attr] = row[column];
  }
  return model.build(values as never, { isNewRecord: false });
}

/**
 * SQL that is true when the organisation path in `column` lies at or below the path bound to
 * `placeholder` as {@link underPathPattern} makes it. SQLite's LIKE ignores case and so cannot
 * use the index on paths; GLOB (case-sensitive) can. PostgreSQL takes LIKE.
 */
export function underPath(dialect: string, column: string, placeholder: string): string {
  return `${column} ${dialect === 'sqlite' ? 'GLOB' : 'LIKE'} ${placeholder}`;
}

/** The pattern {@link underPath} matches a path (`/1/5/`) and those below with: paths hold only digits and `/`. */
export function underPathPattern(dialect: string, path: string): string {
  return `${path}${dialect === 'sqlite' ? '*' : '%'}`;
}

/**
 * SQL true when `column` lies at or below any of `paths` (an admin's organisations), with its
 * named replacements (`:<prefix>0`, `:<prefix>1` …). Never empty SQL: no paths matches nothing.
 * @example const within = underAnyPath(dialect, 'b.path', roots.map((r) => r.path)); `WHERE ${within.sql}`
 */
export function underAnyPath(
  dialect: string,
  column: string,
  paths: readonly string[],
  prefix = 'path',
): { sql: string; replacements: Record<string, string> } {
  if (!paths.length) return { sql: '1 = 0', replacements: {} };
  return {
    sql: `(${paths.map((_, i) => underPath(dialect, column, `:${prefix}${i}`)).join(' OR ')})`,
    replacements: Object.fromEntries(paths.map((p, i) => [`${prefix}${i}`, underPathPattern(dialect, p)])),
  };
}

/** {@link underAnyPath} with the patterns written into the SQL, escaped: for a literal inside a model query. */
export function underAnyPathLiteral(sequelize: Sequelize, column: string, paths: readonly string[]): string {
  const dialect = sequelize.getDialect();
  return paths.length ? `(${paths.map((p) => underPath(dialect, column, sequelize.escape(underPathPattern(dialect, p)))).join(' OR ')})` : '1 = 0';
}
