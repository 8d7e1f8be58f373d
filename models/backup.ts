import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';

/** A backup that cannot be made as asked; the message says why and what to do instead. */
export class BackupError extends Error {}

/** The part of sqlite3's Backup object used here (the package ships no types for it). */
interface SqliteBackup {
  step(pages: number, cb: (err: (Error & { errno?: number }) | null, done?: boolean) => void): void;
  finish(cb: () => void): void;
  readonly pageCount: number;
}

/** `<dataDir>/backups/zhtj-<local date and time>.sqlite`, to the second. */
export function defaultBackupFile(dataDir: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return path.join(dataDir, 'backups', `zhtj-${stamp}.sqlite`);
}

const open = (file: string, mode: number) =>
  new Promise<sqlite3.Database>((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
const close = (db: sqlite3.Database) => new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
const get = <T>(db: sqlite3.Database, sql: string) => new Promise<T>((resolve, reject) => db.get(sql, (err, row) => (err ? reject(err) : resolve(row as T))));

/** Copies every page in one step, retrying while another connection holds a lock that stops reading. */
async function copyAllPages(backup: SqliteBackup): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const err = await new Promise<(Error & { errno?: number }) | null>((resolve) => backup.step(-1, (e) => resolve(e)));
    if (!err) return;
    const retryable = err.errno === sqlite3.BUSY || err.errno === sqlite3.LOCKED;
    if (!retryable || attempt >= 100) throw err;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Writes a consistent copy of the SQLite database named by `databaseUrl` to `target`, with
 * SQLite's online backup API, while the server may be writing to it: all pages are copied in
 * one step, which reads one snapshot (the database is in WAL mode, so writers go on). The copy
 * is written beside the target first and renamed once it is complete and passes
 * `PRAGMA integrity_check`; it is readable by its owner only (it holds personal data).
 * PostgreSQL is refused: pg_dump backs it up.
 */
export async function backupDatabase(databaseUrl: string, target: string): Promise<{ file: string; pages: number }> {
  if (!databaseUrl.startsWith('sqlite:')) {
    throw new BackupError(
      'DATABASE_URL names a PostgreSQL database: back it up with pg_dump (for example pg_dump -Fc -f zhtj.dump "$DATABASE_URL"); npm run backup copies SQLite databases only',
    );
  }
  const source = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
  if (source === ':memory:') throw new BackupError('DATABASE_URL names an in-memory database: there is no file to back up');
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${path.resolve(source)} (DATABASE_URL): nothing to back up`);
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new BackupError(`${file} already exists: name another file`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true }); // left by a backup that was stopped
  fs.writeFileSync(partial, '', { mode: 0o600 }); // readable by its owner from the start; SQLite takes an empty file as an empty database

  const db = await open(source, sqlite3.OPEN_READWRITE); // never creates a database that is not there
  let pages: number;
  try {
    const backup = (db as unknown as { backup(file: string): SqliteBackup }).backup(partial);
    try {
      await copyAllPages(backup);
      pages = backup.pageCount;
    } finally {
      await new Promise<void>((resolve) => backup.finish(resolve));
    }
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await close(db);
  }

  // One self-contained file (the copied header says WAL, which would leave -wal and -shm files
  // beside it); the server turns WAL on again when it opens a restored copy.
  const copy = await open(partial, sqlite3.OPEN_READWRITE);
  const check = await get<{ journal_mode: string }>(copy, 'PRAGMA journal_mode = DELETE')
    .then(() => get<{ integrity_check: string }>(copy, 'PRAGMA integrity_check'))
    .finally(() => close(copy));
  if (check.integrity_check !== 'ok') {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`The copy failed SQLite's integrity check (${check.integrity_check}); nothing was written to ${file}`);
  }
  fs.renameSync(partial, file);
  return { file, pages };
}
