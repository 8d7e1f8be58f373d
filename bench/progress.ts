/**
 * Entry progress (R17): the roll-up of a generated league of 100,000 organisations and 1,000,000
 * people (bench/progress-data.ts) on SQLite, for the whole tree (团中央's admin) and for the
 * largest province, beside the floor: the same aggregate as one hand-written SQL statement run
 * with the bare sqlite3 driver on a connection of its own (counts by kind and by child, and the
 * first page of incomplete organisations). Ours is EntryProgress.view as /progress calls it:
 * the admin's rights, the choice of query shape, the statement, the names, in one snapshot.
 * Rounds alternate floor and ours; the median of each is kept.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { generateLeague } from './progress-data';
import { rosterIdNumber } from './roster-data';
import { percentile, report } from './stats';

const ROUNDS = Number(process.env.PROGRESS_BENCH_ROUNDS ?? 5);
const WARMUP = 1;
const TIME_TARGET_MS = 2000;
const RATIO_TARGET = 1.5;

/** A person lacks a required field (R16): the seven columns, written out by hand. */
const BAD = (p: string) =>
  `(${['name', 'id_cipher', 'role', 'joined_league_at', 'phone', 'ethnicity', 'education'].map((c) => `${p}.${c} IS NULL OR ${p}.${c} = ''`).join(' OR ')})`;

/**
 * The floor's statement. `whole`: every branch's people grouped straight off the people index
 * and every post in (person, org) order; otherwise the subtree's organisations first (CROSS JOIN
 * keeps SQLite to that order). Parameters: path prefix, where a child's id starts in a path.
 */
function floorSql(whole: boolean): string {
  const members = whole
    ? `SELECT p.branch_id AS org_id, COUNT(*) AS n, SUM(CASE WHEN ${BAD('p')} THEN 1 ELSE 0 END) AS bad,
         SUM(CASE WHEN p.role = 'cadre' AND ${BAD('p')} THEN 1 ELSE 0 END) AS bad_cadres
       FROM people p WHERE p.role IN ('member', 'cadre') GROUP BY p.branch_id`
    : `SELECT p.branch_id AS org_id, COUNT(*) AS n, SUM(CASE WHEN ${BAD('p')} THEN 1 ELSE 0 END) AS bad,
         SUM(CASE WHEN p.role = 'cadre' AND ${BAD('p')} THEN 1 ELSE 0 END) AS bad_cadres
       FROM sub s CROSS JOIN people p WHERE p.branch_id = s.id AND s.kind = 'branch' AND p.role IN ('member', 'cadre') GROUP BY p.branch_id`;
  const notOwn = `NOT (s.kind = 'branch' AND p.branch_id = s.id AND p.role IN ('member', 'cadre'))`;
  const holders = whole
    ? `SELECT x.org_id, COUNT(*) AS n, SUM(CASE WHEN ${BAD('p')} THEN 1 ELSE 0 END) AS bad
       FROM (SELECT DISTINCT person_id, org_id FROM posts) x JOIN sub s ON s.id = x.org_id JOIN people p ON p.id = x.person_id
       WHERE ${notOwn} GROUP BY x.org_id`
    : `SELECT x.org_id, COUNT(*) AS n, SUM(CASE WHEN ${BAD('p')} THEN 1 ELSE 0 END) AS bad
       FROM sub s CROSS JOIN posts x CROSS JOIN people p WHERE x.org_id = s.id AND p.id = x.person_id AND ${notOwn}
         AND NOT EXISTS (SELECT 1 FROM posts y WHERE y.person_id = x.person_id AND y.org_id = x.org_id AND y.title < x.title)
       GROUP BY x.org_id`;
  return `WITH sub AS (SELECT id, path, kind FROM organisations WHERE path LIKE ?),
members AS (${members}),
holders AS (${holders}),
orgs AS MATERIALIZED (
  SELECT s.id, s.path, s.kind, CAST(substr(s.path, ?) AS INTEGER) AS child,
    COALESCE(m.n, 0) + COALESCE(h.n, 0) AS people, COALESCE(m.bad - m.bad_cadres, 0) AS bm, COALESCE(m.bad_cadres, 0) + COALESCE(h.bad, 0) AS bc,
    CASE WHEN COALESCE(m.bad, 0) + COALESCE(h.bad, 0) = 0
      AND COALESCE(m.n, 0) + COALESCE(h.n, 0) >= CASE s.kind WHEN 'branch' THEN 3 WHEN 'leading_body' THEN 1 ELSE 2 END THEN 1 ELSE 0 END AS complete
  FROM sub s LEFT JOIN members m ON m.org_id = s.id AND s.kind = 'branch' LEFT JOIN holders h ON h.org_id = s.id)
SELECT 'group' AS part, kind, child, COUNT(*) AS n, SUM(complete) AS complete, NULL AS id, NULL AS people, NULL AS bm, NULL AS bc FROM orgs GROUP BY kind, child
UNION ALL
SELECT * FROM (SELECT 'page', o.kind, o.child, NULL, 0, o.id, o.people, o.bm, o.bc FROM orgs o WHERE o.complete = 0 ORDER BY o.path LIMIT 10)`;
}

type FloorRow = { part: string; kind: string; n: number; complete: number; id: number | null };

const ms = (n: number) => `${n.toFixed(0)} ms`;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Prints the roll-up of the whole tree and of one province beside the floor, measured in the same run. */
export async function benchProgress(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-progress-'));
  const file = path.join(dir, 'bench.sqlite');
  try {
    const system = await buildSystem({ databaseUrl: `sqlite:${file}`, dataDir: dir, scryptLog2N: 10 }, createLogger('silent'), {
      masterKey: crypto.randomBytes(32),
    });
    const t0 = process.hrtime.bigint();
    const league = await generateLeague(system.db, { sealedId: system.services.deps.vault.encrypt(rosterIdNumber(1)) });
    const generated = since(t0);
    const admin = await system.services.accounts.create({
      idNumber: rosterIdNumber(0, '110105'),
      name: '进度管理',
      role: 'cadre',
      branchId: null,
      password: 'Admin2024x',
    });
    await system.services.admins.add(league.rootId, admin.id);

    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
    });
    const all = <T>(sql: string, params: unknown[]) => new Promise<T[]>((res, rej) => db.all(sql, params, (e, rows) => (e ? rej(e) : res(rows as T[]))));
    const [{ path: provincePath }] = await all<{ path: string }>('SELECT path FROM organisations WHERE id = ?', [league.provinceId]);
    const cases = [
      { name: 'whole tree', orgId: league.rootId, prefix: '/1/', whole: true, orgs: league.orgs },
      { name: 'one province', orgId: league.provinceId, prefix: provincePath, whole: false, orgs: league.provinceOrgs },
    ];
    const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${floorSql(true)}`, ['/1/%', 4])).map((r) => r.detail).join(' | ');

    console.log(
      `\n## Entry progress roll-up (R17): ${league.orgs.toLocaleString()} organisations, ${league.people.toLocaleString()} people, ${league.posts.toLocaleString()} posts on SQLite (generated in ${(generated / 1000).toFixed(1)} s), ${ROUNDS} alternating rounds after ${WARMUP} warm-up, median`,
    );
    console.log(
      `floor: one hand-written statement through the bare sqlite3 driver (counts by kind and by child, the first 10 incomplete); whole tree via the people index: ${/COVERING INDEX people_entry_progress/.test(plan) ? 'yes' : 'NO'}`,
    );
    for (const c of cases) {
      const floors: number[] = [];
      const ours: number[] = [];
      const wrong: string[] = [];
      for (let r = 0; r < WARMUP + ROUNDS; r++) {
        let t = process.hrtime.bigint();
        const rows = await all<FloorRow>(floorSql(c.whole), [`${c.prefix}%`, c.prefix.length + 1]);
        const floorTook = since(t);
        t = process.hrtime.bigint();
        const view = await system.services.entryProgress.view(admin.id, c.orgId, 0);
        const oursTook = since(t);
        const groups = rows.filter((x) => x.part === 'group');
        const total = groups.reduce((a, g) => a + g.n, 0);
        const complete = groups.reduce((a, g) => a + g.complete, 0);
        const page = rows.filter((x) => x.part === 'page').map((x) => x.id);
        if (total !== c.orgs || view.total !== total || view.complete !== complete || page.join() !== view.incomplete.rows.map((x) => x.id).join()) {
          wrong.push(`round ${r + 1}: floor ${complete}/${total}, ours ${view.complete}/${view.total}`);
        }
        if (r >= WARMUP) {
          floors.push(floorTook);
          ours.push(oursTook);
        }
      }
      const f = median(floors);
      const o = median(ours);
      const ratio = o / f;
      console.log(
        `${c.name} (${c.orgs.toLocaleString()} organisations): floor ${ms(f)} (rounds ${ms(Math.min(...floors))}–${ms(Math.max(...floors))}), ours ${ms(o)} (rounds ${ms(Math.min(...ours))}–${ms(Math.max(...ours))})`,
      );
      if (wrong.length) console.log(`wrong: ${wrong.join('; ')}`);
      report(
        `progress roll-up, ${c.name}`,
        `${ratio.toFixed(2)}× the floor`,
        ratio <= RATIO_TARGET && !wrong.length,
        `target ≤ ${RATIO_TARGET}× the floor (${ms(f)})`,
      );
      if (c.whole) report('progress roll-up, whole tree, absolute', ms(o), o <= TIME_TARGET_MS && !wrong.length, `target ≤ ${TIME_TARGET_MS} ms`);
    }
    // For reference, what /progress's two buttons cost on the whole tree.
    let t = process.hrtime.bigint();
    const chart = await system.services.entryProgress.chart(admin.id, league.rootId);
    const chartTook = since(t);
    t = process.hrtime.bigint();
    const sheet = await system.services.entryProgress.sheet(admin.id, league.rootId);
    console.log(
      `reference: the chart of the whole tree's ${chart.view.children.length} provinces ${ms(chartTook)} (PNG ${(chart.png!.length / 1024).toFixed(0)} KB); its spreadsheet of ${sheet.orgs.toLocaleString()} rows ${ms(since(t))} (${(sheet.data.length / 1024 / 1024).toFixed(1)} MB, made by a background job in the product)`,
    );
    await new Promise<void>((r) => db.close(() => r()));
    await system.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
