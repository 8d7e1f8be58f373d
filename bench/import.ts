/**
 * The import figure: a generated 100,000-row valid spreadsheet imported end to end (read,
 * validate, write) beside its floor (exceljs' streaming read of the same file plus a bare
 * multi-row insert of the same rows with the plain sqlite3 driver). Each measurement runs in
 * its own child process (bench/import-worker.ts), so peak memory is its own. Each is repeated,
 * floor and ours back to back: the time judged is the best of each (other processes may share
 * the machine), beside the ratio of each pair; the memory judged is the highest peak of all runs.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../server/logger';
import { IMPORT_HEAP_MB } from '../server/jobs/background-jobs';
import { buildSystem } from '../server/system';
import { rosterIdNumber, writeRosterXlsx } from './roster-data';
import { report } from './stats';

const ROWS = 100_000;
const RUNS = Number(process.env.IMPORT_BENCH_RUNS ?? 5);
const TIME_TARGET = 1.2;
const MEMORY_TARGET_MB = 300;
const run = promisify(execFile);

/** Branch full names of the seeded subtree, brackets in both widths as people write them. */
const BRANCHES = [1, 2, 3, 4, 5].map((n) => `共青团基准市第一中学高一（${n}）班团支部`);

/** A fresh migrated SQLite database with a school, its branches and an admin; returns the admin's id. */
async function seed(databaseUrl: string, dataDir: string): Promise<number> {
  const system = await buildSystem({ databaseUrl, dataDir, scryptLog2N: 10 }, createLogger('silent')); // the key file <dataDir>/id-key, shared by the seeding and the measured process
  const { organisations, accounts, admins } = system.services;
  const city = await organisations.create({ parentId: null, fullName: '共青团基准市委员会', shortName: '基准市团委', kind: 'leading_body' });
  const school = await organisations.create({ parentId: city.id, fullName: '共青团基准市第一中学委员会', shortName: '基准一中团委', kind: 'committee' });
  for (const fullName of BRANCHES) await organisations.create({ parentId: school.id, fullName, shortName: fullName.slice(-8), kind: 'branch' });
  const admin = await accounts.create({ idNumber: rosterIdNumber(0, '110105'), name: '基准管理', role: 'cadre', branchId: null, password: 'Admin2024x' });
  await admins.add(school.id, admin.id);
  await system.db.close();
  return admin.id;
}

async function measure(args: string[], nodeFlags: string[] = []): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(__dirname, 'import-worker.ts'), ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const best = (runs: Array<Record<string, number>>) => runs.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString()} rows/s`;

/** Prints the import figure beside its floor, measured in the same run. */
export async function benchImport(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-import-'));
  try {
    const file = path.join(dir, '团员名单-100000.xlsx');
    // Written as Excel does (shared strings); every 20th person a cadre with a post, dates as date cells.
    await writeRosterXlsx({ rows: ROWS, branches: BRANCHES.map((b, i) => (i % 2 ? b.replace('（', '(').replace('）', ')') : b)) }, file);
    const floors: Array<Record<string, number>> = [];
    const ours: Array<Record<string, number>> = [];
    for (let i = 0; i < RUNS; i++) {
      const floorDir = fs.mkdtempSync(path.join(dir, 'floor-'));
      floors.push(await measure(['floor', file, floorDir]));
      const dataDir = fs.mkdtempSync(path.join(dir, 'ours-'));
      const databaseUrl = `sqlite:${path.join(dataDir, 'bench.sqlite')}`;
      const actor = await seed(databaseUrl, dataDir);
      // With the heap the server gives an import's worker thread (background-jobs.ts).
      ours.push(await measure(['ours', file, databaseUrl, dataDir, String(actor)], [`--max-old-space-size=${IMPORT_HEAP_MB}`]));
    }
    const f = best(floors);
    const o = best(ours);
    const ratio = o.totalMs / f.totalMs;
    const pairs = ours.map((r, i) => r.totalMs / floors[i].totalMs).sort((a, b) => a - b);
    const cpuPairs = ours.map((r, i) => r.cpuMs / floors[i].cpuMs).sort((a, b) => a - b);
    const peak = Math.max(...ours.map((r) => r.maxRssMb));
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    console.log(
      `\n## Import: ${ROWS.toLocaleString()}-row .xlsx (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MB), best of ${RUNS} runs each, one child process per run`,
    );
    console.log(
      `floor (exceljs streaming read + bare multi-row sqlite3 insert): ${sec(f.totalMs)} = read ${sec(f.readMs)} + insert ${sec(f.insertMs)}, ${perSecond(ROWS, f.totalMs)}, peak RSS ${mb(f.maxRssMb)}`,
    );
    console.log(
      `ours  (importRoster over the import thread's services with its ${IMPORT_HEAP_MB} MB heap: zip guard, read, validate, seal; then one transaction: insert, posts, audit): ${sec(o.totalMs)} = read and checked ${sec(o.streamedMs)} + written ${sec(o.finishMs)}, ${perSecond(ROWS, o.totalMs)}, peak RSS ${mb(o.maxRssMb)}`,
    );
    console.log(`all runs, floor: ${floors.map((r) => sec(r.totalMs)).join(', ')}; ours: ${ours.map((r) => sec(r.totalMs)).join(', ')}`);
    console.log(
      `ours ÷ floor of each back-to-back pair, sorted: ${pairs.map((r) => `${r.toFixed(2)}×`).join(', ')} (median ${pairs[Math.floor(pairs.length / 2)].toFixed(2)}×)`,
    );
    console.log(
      `CPU time (all threads), ours ÷ floor of each pair, sorted: ${cpuPairs.map((r) => `${r.toFixed(2)}×`).join(', ')} (ours ${ours.map((r) => sec(r.cpuMs)).join(', ')}; floor ${floors.map((r) => sec(r.cpuMs)).join(', ')})`,
    );
    console.log(`peak RSS of each run, ours: ${ours.map((r) => mb(r.maxRssMb)).join(', ')}; floor: ${floors.map((r) => mb(r.maxRssMb)).join(', ')}`);
    report('import end-to-end time', `${ratio.toFixed(2)}× the floor (best of each)`, ratio <= TIME_TARGET, `target ≤ ${TIME_TARGET}× the floor`);
    report('import peak memory', `${mb(peak)} (highest of ${RUNS} runs)`, peak < MEMORY_TARGET_MB, `target < ${MEMORY_TARGET_MB} MB (floor ${mb(f.maxRssMb)})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
