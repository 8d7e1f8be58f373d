/**
 * One measurement of the import benchmark, in a process of its own so that peak memory is
 * the measurement's alone: `tsx bench/import-worker.ts floor|ours <args…>`. Prints one JSON line.
 *
 * floor <file> <dir>: exceljs' streaming reader over the file (the options a correct read
 *   needs), then a bare multi-row INSERT of the rows as read, with the plain sqlite3 driver, in
 *   one transaction, into a fresh table.
 * ours <file> <databaseUrl> <dataDir> <actorPersonId>: importRoster end to end (read, validate, write),
 *   over what the server's import thread builds (buildImportSystem), not the whole system.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import sqlite3 from 'sqlite3';
import { buildImportSystem } from '../server/jobs/workers/import-system';
import { createLogger } from '../server/logger';
import { loadMasterKey } from '../server/security/id-vault';
import { importRoster } from '../server/services/membership/roster-import/importer';

/** RSS sampled every 50 ms, beside the kernel's own high-water mark; and the CPU time used meanwhile (all threads), less swayed than wall time by other processes. */
function memoryWatch() {
  const cpu = process.cpuUsage();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(timer);
      const used = process.cpuUsage(cpu);
      return {
        sampledPeakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        cpuMs: (used.user + used.system) / 1000,
      };
    },
  };
}

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function floor(file: string, dir: string): Promise<Record<string, unknown>> {
  const buffer = fs.readFileSync(file);
  const watch = memoryWatch();
  const t0 = process.hrtime.bigint();
  const rows: unknown[][] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  for await (const ws of reader) {
    for await (const row of ws) {
      if (row.number === 1) continue;
      const values = (row.values as unknown[]).slice(1, 10);
      rows.push(values.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v ?? null))));
    }
  }
  const readMs = ms(t0);
  const db = new sqlite3.Database(path.join(dir, 'floor.sqlite'));
  const exec = (sql: string, params: unknown[] = []) => new Promise<void>((resolve, reject) => db.run(sql, params, (e) => (e ? reject(e) : resolve())));
  await exec('PRAGMA journal_mode = WAL');
  await exec('PRAGMA synchronous = NORMAL');
  const columns = Array.from({ length: 9 }, (_, i) => `c${i}`);
  await exec(`CREATE TABLE roster (id INTEGER PRIMARY KEY, ${columns.map((c) => `${c} TEXT`).join(', ')})`);
  const t1 = process.hrtime.bigint();
  await exec('BEGIN');
  const perChunk = Math.floor(32000 / columns.length);
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const sql = `INSERT INTO roster (${columns.join(', ')}) VALUES ${chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
    await exec(sql, chunk.flat());
  }
  await exec('COMMIT');
  const insertMs = ms(t1);
  await new Promise((resolve) => db.close(resolve));
  return { rows: rows.length, readMs, insertMs, totalMs: readMs + insertMs, ...watch.stop() };
}

async function ours(file: string, databaseUrl: string, dataDir: string, actor: string): Promise<Record<string, unknown>> {
  // The key file <dataDir>/id-key, written by the seeding process (which migrated the database), as a server hands it to its import thread.
  const seed = { databaseUrl, dataDir, scryptLog2N: 10, loginIdleMs: 86_400_000, masterKey: loadMasterKey(undefined, dataDir), clockOffsetMs: 0 };
  const system = await buildImportSystem(seed, createLogger('silent'));
  const buffer = fs.readFileSync(file);
  const watch = memoryWatch();
  const t0 = process.hrtime.bigint();
  let streamedMs = 0;
  const outcome = await importRoster(system.services, {
    actorPersonId: Number(actor),
    source: { buffer, fileName: path.basename(file) },
    onProgress: (p) => {
      if (p.phase === 'saving') streamedMs = ms(t0);
    },
  });
  const totalMs = ms(t0);
  const memory = watch.stop();
  await system.close();
  if (!outcome.ok) throw new Error(`import failed: ${JSON.stringify({ ...outcome, report: undefined })}`);
  return { rows: outcome.imported, streamedMs, finishMs: totalMs - streamedMs, totalMs, ...memory };
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  const result = mode === 'floor' ? await floor(args[0], args[1]) : await ours(args[0], args[1], args[2], args[3]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
