/**
 * The /fees figures on PostgreSQL (issue 26, item 2): a generated league written by SQL
 * (generate_series), hand-written SQL floors for the summary and the owing page, and the real
 * service calls, each measured in a process of its own for time and peak memory.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x npx tsx bench/fees-floors.ts generate
 *   BENCH_DATABASE_URL=… npx tsx bench/fees-floors.ts measure <orgId>
 *
 * The province bench harness imports {@link feeFloors} and {@link feeServiceCalls}.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createLogger } from '../server/logger';
import { buildSystem, type System } from '../server/system';

/** Provinces of the generated league: 32 × ~31,000 people, 1,000,000 in all. */
const PROVINCES = 32;
const PEOPLE = 1_000_000;

/**
 * Writes the league into an empty migrated database: 团中央 (id 1) › 32 provinces (2-33) ›
 * 10 cities each › 10 counties each › 26 branches each (about 87,000 organisations), and
 * 1,000,000 people spread over the branches. Fees in realistic proportions for `year`: 80 % with
 * a confirmed category (half students, a third wage earners with wages from 1,500 to 16,500
 * 元), 5 % changing it in July, 10 % with a declaration waiting; 60 % paid for some months
 * from January, 2 % of payments reversed; 5 % recorded this year, 3 % joined this year.
 */
export async function generateFeeLeague(client: Client, year: number): Promise<void> {
  const q = (sql: string) => client.query(sql);
  const org = (id: string, parent: string, path: string, depth: number, kind: string) =>
    `INSERT INTO organisations (id, parent_id, path, depth, full_name, name_key, short_name, kind, admin_code, created_at, updated_at)
     SELECT ${id}, ${parent}, ${path}, ${depth}, '组织' || (${id}), 'org' || (${id}), '组织' || (${id}), '${kind}', 'Ab3dEf7h', now(), now()`;
  await q(`${org('1', 'NULL', `'/1/'`, 0, 'leading_body')}`);
  await q(`${org('1 + i', '1', `'/1/' || (1 + i) || '/'`, 1, 'leading_body')} FROM generate_series(1, ${PROVINCES}) i`);
  await q(
    `${org('1000 + i', '2 + i / 10', `'/1/' || (2 + i / 10) || '/' || (1000 + i) || '/'`, 2, 'leading_body')} FROM generate_series(0, ${PROVINCES * 10 - 1}) i`,
  );
  await q(
    `${org('10000 + i', 'c.id', `c.path || (10000 + i) || '/'`, 3, 'leading_body')} FROM generate_series(0, ${PROVINCES * 100 - 1}) i JOIN organisations c ON c.id = 1000 + i / 10`,
  );
  await q(
    `${org('100000 + i', 'c.id', `c.path || (100000 + i) || '/'`, 4, 'branch')} FROM generate_series(0, ${PROVINCES * 2600 - 1}) i JOIN organisations c ON c.id = 10000 + i / 26`,
  );
  const branches = PROVINCES * 2600;
  await q(`INSERT INTO people (id, id_cipher, id_hash, id_masked, name, gender, birth_date, joined_league_at, role, branch_id, must_change_password,
             verification_state, verification_retryable, created_at, updated_at)
           SELECT n, 'x', md5(n::text), '640104********' || lpad((n % 10000)::text, 4, '0'),
             (ARRAY['张伟','王芳','李娜','刘洋','陈静','杨磊','赵敏','黄丽','周杰','吴昊'])[1 + n % 10] || (n % 97),
             'M', '2000-01-01',
             CASE WHEN n % 33 = 0 THEN '${year}-' || lpad((1 + n % 11)::text, 2, '0') || '-01' ELSE '2015-05-04' END,
             CASE WHEN n % 50 = 0 THEN 'applicant' WHEN n % 30 = 0 THEN 'cadre' ELSE 'member' END,
             100000 + n % ${branches}, false, 'verified', true,
             CASE WHEN n % 20 = 0 THEN make_timestamptz(${year}, 1 + n % 12, 3, 0, 0, 0, 'UTC') ELSE timestamptz '${year - 2}-06-01' END, now()
           FROM generate_series(1, ${PEOPLE}) n`);
  await q(`INSERT INTO fee_profiles (person_id, valid_from, category, wage_fen, status, set_by_person_id, decided_by_person_id, created_at, updated_at)
           SELECT n, '${year - 1}-01', c, CASE WHEN c = 'wage' THEN 150000 + (n::bigint * 7919) % 1500000 END, 'confirmed', n, n, now(), now()
           FROM (SELECT n, (ARRAY['student','student','student','wage','wage','unemployed','relief','student','wage','student'])[1 + (n / 7) % 10] AS c
                 FROM generate_series(1, ${PEOPLE}) n WHERE n % 5 <> 0) s`);
  await q(`INSERT INTO fee_profiles (person_id, valid_from, category, wage_fen, status, set_by_person_id, decided_by_person_id, created_at, updated_at)
           SELECT n, '${year}-07', 'wage', 300000 + n % 500000, 'confirmed', n, n, now(), now() FROM generate_series(1, ${PEOPLE}) n WHERE n % 20 = 1`);
  await q(`INSERT INTO fee_profiles (person_id, valid_from, category, wage_fen, status, set_by_person_id, decided_by_person_id, created_at, updated_at)
           SELECT n, '${year}-12', 'student', NULL, 'declared', n, NULL, now(), now() FROM generate_series(1, ${PEOPLE}) n WHERE n % 10 = 3`);
  await q(`INSERT INTO fee_payments (person_id, org_id, year, from_month, to_month, amount_fen, reverses_id, note, source, recorded_by_person_id, created_at)
           SELECT n, 100000 + n % ${branches}, ${year}, '${year}-01', '${year}-' || lpad((1 + n % 11)::text, 2, '0'), (1 + n % 11) * 20, NULL, NULL, 'import', n, now()
           FROM generate_series(1, ${PEOPLE}) n WHERE n % 5 < 3`);
  await q(`INSERT INTO fee_payments (person_id, org_id, year, from_month, to_month, amount_fen, reverses_id, note, source, recorded_by_person_id, created_at)
           SELECT person_id, org_id, year, from_month, to_month, -amount_fen, id, '录错', 'chat', person_id, now() FROM fee_payments WHERE id % 50 = 7`);
  await q(`INSERT INTO admins (org_id, person_id, created_at, updated_at) VALUES (1, 1, now(), now()), (2, 1, now(), now())`);
  for (const t of ['organisations', 'people', 'fee_profiles', 'fee_payments', 'admins'])
    await q(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}))`);
  await q('ANALYZE');
}

/**
 * Hand-written floors: the least SQL that reads what the summary and the owing page must
 * read (the subtree's payers with their categories and payments, summed per organisation
 * below; the ten largest unpaid month counts), without the statement's rules.
 */
export async function feeFloors(client: Client, orgId: number, year: number): Promise<{ summaryMs: number; owingMs: number }> {
  const { rows } = await client.query<{ path: string }>('SELECT path FROM organisations WHERE id = $1', [orgId]);
  const pattern = `${rows[0].path}%`;
  const payers = `SELECT p.id, p.name, b.path FROM people p JOIN organisations b ON b.id = p.branch_id WHERE b.path LIKE $1 AND p.role IN ('member', 'cadre')`;
  const t0 = performance.now();
  await client.query(
    `WITH s AS (${payers})
     SELECT split_part(substr(s.path, ${rows[0].path.length + 1}), '/', 1) AS child, COUNT(*), SUM(f.wage_fen), SUM(y.amount_fen)
     FROM s LEFT JOIN fee_profiles f ON f.person_id = s.id AND f.status = 'confirmed'
     LEFT JOIN fee_payments y ON y.person_id = s.id AND y.year = $2 GROUP BY 1`,
    [pattern, year],
  );
  const t1 = performance.now();
  await client.query(
    `WITH s AS (${payers})
     SELECT s.id, s.name, 12 - COALESCE(SUM(CAST(substr(y.to_month, 6, 2) AS INTEGER) - CAST(substr(y.from_month, 6, 2) AS INTEGER) + 1), 0) AS owed
     FROM s LEFT JOIN fee_payments y ON y.person_id = s.id AND y.year = $2 GROUP BY s.id, s.name ORDER BY owed DESC, s.id LIMIT 10`,
    [pattern, year],
  );
  return { summaryMs: t1 - t0, owingMs: performance.now() - t1 };
}

/** The real service calls of /fees for an organisation: the summary, then the first owing page. */
export async function feeServiceCalls(system: System, adminPersonId: number, orgId: number): Promise<{ summaryMs: number; owingMs: number; members: number }> {
  const t0 = performance.now();
  const summary = await system.services.fees.reports.summary(adminPersonId, orgId);
  const t1 = performance.now();
  await system.services.fees.reports.owingPage(adminPersonId, orgId, 0);
  return { summaryMs: t1 - t0, owingMs: performance.now() - t1, members: summary.totals.members };
}

const MB = 1024 * 1024;

/** One fixed ID key for the bench's databases (their ID numbers are placeholders anyway). */
const BENCH_KEY = Buffer.alloc(32, 7);

/** One measured call in this process: time, and peak RSS above the idle process (after the system is built). */
async function measureHere(url: string, what: 'summary' | 'owing' | 'floors', orgId: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fees-bench-'));
  const system = await buildSystem({ databaseUrl: url, dataDir, scryptLog2N: 10 }, createLogger('warn'), { masterKey: BENCH_KEY });
  const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  await system.services.fees.reports.summary(1, 1 + PROVINCES); // warm: plans, standards, pools (a small province)
  global.gc?.();
  const idle = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  let extra = '';
  if (what === 'summary') extra = `${(await system.services.fees.reports.summary(1, orgId)).totals.members} payers`;
  else if (what === 'owing') extra = `${(await system.services.fees.reports.owingPage(1, orgId, 0)).total} owing`;
  else {
    const c = new Client({ connectionString: url });
    await c.connect();
    const f = await feeFloors(c, orgId, year);
    extra = `floor summary ${f.summaryMs.toFixed(0)} ms, floor owing page ${f.owingMs.toFixed(0)} ms`;
    await c.end();
  }
  const ms = performance.now() - t0;
  clearInterval(sampler);
  // The kernel's high-water mark, when the call raised it, catches a peak between samples.
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  if (maxAfter > maxBefore) peak = Math.max(peak, maxAfter);
  console.log(
    `${what} of org ${orgId}: ${ms.toFixed(0)} ms, peak RSS ${((peak - idle) / MB).toFixed(0)} MB above idle (${(idle / MB).toFixed(0)} MB); ${extra}`,
  );
  await system.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url?.startsWith('postgres')) throw new Error('BENCH_DATABASE_URL must name a PostgreSQL database');
  const [command, arg, what] = process.argv.slice(2);
  if (command === 'generate') {
    // Migrate through the system, then write the league.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fees-bench-'));
    const system = await buildSystem({ databaseUrl: url, dataDir, scryptLog2N: 10 }, createLogger('warn'), { masterKey: BENCH_KEY });
    await system.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const c = new Client({ connectionString: url });
    await c.connect();
    const t0 = performance.now();
    await generateFeeLeague(c, Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4)));
    console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await c.end();
  } else if (command === 'one') {
    await measureHere(url, what as 'summary' | 'owing' | 'floors', Number(arg));
  } else if (command === 'measure') {
    // Each figure in a fresh process, so that one's garbage is not the next one's peak.
    for (const w of ['floors', 'summary', 'owing'])
      spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, 'one', arg, w], { stdio: 'inherit', env: process.env });
  } else throw new Error('usage: fees-floors.ts generate | measure <orgId>');
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
