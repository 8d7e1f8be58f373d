import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import sqlite3 from 'sqlite3';
import { BackupError, backupDatabase, defaultBackupFile } from '../../models/backup';
import { Database, openDatabase } from '../../models';
import { migrate } from '../../models/migrator';
import { until } from '../helpers/wait';

// Backups are of SQLite files, whatever database the other tests run on.
let dir: string;
let db: Database;
let url: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-backup-'));
  url = `sqlite:${path.join(dir, 'zhtj.sqlite')}`;
  db = await openDatabase(url, { bindModels: false });
  await migrate(db);
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const BASE_ROWS = 40_000;
const PER_WRITE = 20;

/** Reads the copy with a connection of its own. */
async function readCopy(file: string) {
  const copy = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
  });
  const get = <T>(sql: string) => new Promise<T>((resolve, reject) => copy.get(sql, (err, row) => (err ? reject(err) : resolve(row as T))));
  try {
    return {
      integrity: (await get<{ integrity_check: string }>('PRAGMA integrity_check')).integrity_check,
      rows: (await get<{ n: number }>('SELECT COUNT(*) AS n FROM probe')).n,
      writes: (await get<{ n: number }>('SELECT n FROM tally')).n,
      migrations: (await get<{ n: number }>('SELECT COUNT(*) AS n FROM "SequelizeMeta"')).n,
    };
  } finally {
    await new Promise((resolve) => copy.close(resolve));
  }
}

describe('npm run backup (SQLite online backup)', () => {
  it('copies a consistent database while writes go on: the copy passes integrity_check and holds whole transactions', async () => {
    const q = (sql: string) => db.sequelize.query(sql);
    await q('CREATE TABLE probe (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)');
    await q('CREATE TABLE tally (n INTEGER NOT NULL)');
    await q('INSERT INTO tally (n) VALUES (0)');
    // About 10 MB, so that the copy takes a while.
    await q(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${BASE_ROWS}) INSERT INTO probe (pad) SELECT printf('%0250d', i) FROM s`);

    // Each write adds PER_WRITE rows and counts itself in the same transaction.
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        await db.transaction(async (transaction) => {
          const values = Array.from({ length: PER_WRITE }, () => "('written during the backup')").join(', ');
          await db.sequelize.query(`INSERT INTO probe (pad) VALUES ${values}`, { transaction });
          await db.sequelize.query('UPDATE tally SET n = n + 1', { transaction });
        });
        writes++;
      }
    })();
    await until(() => writes >= 3, { what: 'three writes before the backup', intervalMs: 1, seen: () => `${writes} writes` });

    const before = writes;
    const { file, pages } = await backupDatabase(url, path.join(dir, 'copies', 'zhtj-copy.sqlite'));
    const during = writes - before;
    stop = true;
    await writer;

    expect(during).toBeGreaterThan(0); // the backup did not hold the writer up
    expect(pages).toBeGreaterThan(1000);
    const copy = await readCopy(file);
    expect(copy.integrity).toBe('ok');
    expect(copy.writes).toBeGreaterThanOrEqual(before);
    expect(copy.writes).toBeLessThanOrEqual(writes);
    expect(copy.rows).toBe(BASE_ROWS + PER_WRITE * copy.writes); // no half transaction
    expect(copy.migrations).toBe((await db.sequelize.query('SELECT name FROM "SequelizeMeta"', { type: QueryTypes.SELECT })).length);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600); // personal data: the owner's only
    expect(fs.readdirSync(path.dirname(file))).toEqual(['zhtj-copy.sqlite']); // one file, no -wal, -shm or .partial
  });

  it('names the copy <DATA_DIR>/backups/zhtj-<local timestamp>.sqlite by default', () => {
    expect(defaultBackupFile('/srv/zhtj/data', new Date(2026, 10, 30, 9, 5, 7))).toBe(path.join('/srv/zhtj/data', 'backups', 'zhtj-20261130-090507.sqlite'));
  });

  it('refuses PostgreSQL, naming pg_dump and not the password', async () => {
    const err = await backupDatabase('postgres://zhtj:s3cret@127.0.0.1:5432/zhtj', path.join(dir, 'pg.sqlite')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toContain('pg_dump');
    expect((err as Error).message).not.toContain('s3cret');
    expect(fs.existsSync(path.join(dir, 'pg.sqlite'))).toBe(false);
  });

  it('never overwrites a file, and never creates a database that is not there', async () => {
    const taken = path.join(dir, 'taken.sqlite');
    fs.writeFileSync(taken, 'older backup');
    await expect(backupDatabase(url, taken)).rejects.toThrow('already exists');
    expect(fs.readFileSync(taken, 'utf8')).toBe('older backup');
    const missing = path.join(dir, 'nowhere', 'zhtj.sqlite');
    await expect(backupDatabase(`sqlite:${missing}`, path.join(dir, 'b.sqlite'))).rejects.toThrow('There is no database');
    expect(fs.existsSync(missing)).toBe(false);
  });
});
