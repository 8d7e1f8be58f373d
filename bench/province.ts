/**
 * A province on PostgreSQL (issue 26): `npm run bench -- province [--small] [--fresh] [--strict]`
 * with BENCH_DATABASE_URL. Generates (or reuses) a province of 300,000 organisations and
 * 3,000,000 people (bench/province-data.ts; `--small`: about 1,000 and 10,000), then measures the
 * real services, built as the server builds them, each beside a hand-written SQL floor
 * (bench/province-floors.ts for progress, the tree and the people pages; bench/province-own-floors.ts for the rest) measured in the same run and the issue's target: entry
 * progress, the tree's first page, a people-list page per filter, `/fees` (summary and owing
 * page, each in a process of its own for its memory), queueing an announcement to the whole
 * province, the sender through a server process to the Bot API emulator, and `/me` over two
 * server processes. Then the plans: every statement the measured code sent (captured from
 * Sequelize's logging hook) is EXPLAINed; a sequential scan of people or organisations is
 * flagged. A missed target prints ✗ and the bench still exits 0 (it is a measurement), unless
 * `--strict`; the small run exits 1 on a flagged plan (it is what CI runs for the plans).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../server/logger';
import { buildSystem, type System } from '../server/system';
import { ROOT } from '../test/helpers/root';
import { FULL, generateProvince, keepLoginsAlive, readMarker, SMALL, wipe, writeMarker, type GeneratedProvince } from './province-data';
import { entryProgressFloor, peoplePageFloor, treeFirstPageFloor } from './province-floors';
import { FEES_OWING_FLOOR, FEES_SUMMARY_FLOOR, PEOPLE_FILTERS, peopleFloor, QUEUE_FLOOR } from './province-own-floors';
import { brief, checkPlans, shapeOf, SqlCapture, type PlanFinding } from './province-plans';
import { measureMe, measureSender } from './province-servers';
import { rosterIdNumber } from './roster-data';
import { percentile } from './stats';

/** The bench's own ID key: the same on every run, so a generated province stays readable. */
export const BENCH_MASTER_KEY = crypto.createHash('sha256').update('zhtj province bench').digest();
const ADMIN_ID_NUMBER = rosterIdNumber(0, '110105');
export const WEB_USERS = 20;
export const WEB_PASSWORD = 'Bench2024x';
const ADMIN_MARKER = 'bench.province.accounts';

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const since = (t0: number) => performance.now() - t0;

/** The outcome lines: each figure beside its floor and target, ✓ or ✗. */
class Verdicts {
  misses: string[] = [];
  line(name: string, value: string, ok: boolean, detail: string): void {
    console.log(`${ok ? '✓' : '✗'} ${name}: ${value} — ${detail}`);
    if (!ok) this.misses.push(name);
  }
}

/** The accounts the bench logs in with: the province's admin and a few members for the web API. */
interface BenchAccounts {
  adminId: number;
  webUsers: Array<{ id: number; idNumber: string }>;
}

async function accountsOf(system: System, marker: GeneratedProvince | null, client: pg.Client): Promise<BenchAccounts> {
  const { rows } = await client.query('SELECT value FROM settings WHERE name = $1', [ADMIN_MARKER]);
  if (marker && rows.length) return JSON.parse(rows[0].value) as BenchAccounts;
  const { accounts, admins } = system.services;
  const admin = await accounts.create({ idNumber: ADMIN_ID_NUMBER, name: '省级管理', role: 'cadre', branchId: null, password: WEB_PASSWORD });
  await admins.add(1, admin.id);
  const branch = Number((await client.query(`SELECT id FROM organisations WHERE kind = 'branch' ORDER BY id LIMIT 1`)).rows[0].id);
  const webUsers: BenchAccounts['webUsers'] = [];
  for (let i = 1; i <= WEB_USERS; i++) {
    const idNumber = rosterIdNumber(i, '110105');
    const p = await accounts.create({
      idNumber,
      name: `网页团员${i}`,
      role: 'member',
      branchId: branch,
      password: WEB_PASSWORD,
      phone: '13900000000',
      ethnicity: '汉族',
      education: '本科',
      joinedLeagueAt: '2020-05-04',
    });
    webUsers.push({ id: p.id, idNumber });
  }
  const made = { adminId: admin.id, webUsers };
  await client.query(`INSERT INTO settings (name, value, created_at) VALUES ($1, $2, now())`, [ADMIN_MARKER, JSON.stringify(made)]);
  return made;
}

/** A call this slow is measured once: more rounds would not change the verdict, only the bench's length. */
const ONE_ROUND_MS = 10_000;

/** Alternating rounds of floor and ours after a warm-up; the median of each (the warm-up alone when ours is very slow). */
async function rounds(n: number, floor: () => Promise<unknown>, ours: () => Promise<unknown>): Promise<{ floor: number; ours: number; note: string }> {
  const f: number[] = [];
  const o: number[] = [];
  for (let r = 0; r <= n; r++) {
    let t = performance.now();
    await floor();
    const ft = since(t);
    t = performance.now();
    await ours();
    const ot = since(t);
    if (r === 0 && ot > ONE_ROUND_MS) return { floor: ft, ours: ot, note: ' (one round: over 10 s)' };
    if (r > 0) {
      f.push(ft);
      o.push(ot);
    }
  }
  return { floor: median(f), ours: median(o), note: '' };
}

/** One /fees call in a child process with a heap limit and a deadline. */
function feesChild(
  input: object,
  opts: { heapMb: number; timeoutMs: number },
): Promise<
  | {
      ok: true;
      ms: number;
      idleRss: number;
      peakRss: number;
      idleHeap: number;
      heapPeak: number;
      sent: number;
      statements: Array<{ sql: string; bind: unknown[] }>;
    }
  | { ok: false; why: string }
> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${opts.heapMb}`, path.join(ROOT, 'bench/province-fees-child.ts')],
      { cwd: ROOT, env: { ...process.env, PROVINCE_CHILD: JSON.stringify(input) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const t0 = performance.now();
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1);
      if (code === 0 && last) return resolve({ ok: true, ...JSON.parse(last) });
      const took = `${(since(t0) / 1000).toFixed(0)} s`;
      if (signal === 'SIGKILL') return resolve({ ok: false, why: `did not finish within ${opts.timeoutMs / 1000} s (stopped)` });
      const oom = /heap out of memory|Allocation failed/i.test(err);
      resolve({
        ok: false,
        why: oom
          ? `ran out of its ${opts.heapMb.toLocaleString()} MB heap after ${took}`
          : `failed after ${took}: ${err.trim().split('\n').slice(-3).join(' ')}`,
      });
    });
  });
}

/** `npm run bench -- province`: see the file's comment. */
export async function benchProvince(args: string[]): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error(
      'The province bench runs on PostgreSQL only: set BENCH_DATABASE_URL to a database of its own, e.g.\n' +
        "  psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_province'\n" +
        '  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_province npm run bench -- province [--small] [--fresh] [--strict]\n' +
        'Everything in that database is replaced by the generated province.',
    );
    process.exitCode = 1;
    return;
  }
  const small = args.includes('--small');
  const strict = args.includes('--strict');
  const size = small ? SMALL : FULL;
  const roundsN = Number(process.env.PROVINCE_BENCH_ROUNDS ?? 3);
  const verdicts = new Verdicts();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let system: System | null = null;
  try {
    // The province: reused when the marker says it is there at this size, else generated.
    let marker = await readMarker(client);
    const generate = args.includes('--fresh') || !marker || marker.size.label !== size.label;
    if (generate) await wipe(client);
    system = await buildSystem({ databaseUrl: url, dataDir: '/tmp', scryptLog2N: 10 }, createLogger('silent'), { masterKey: BENCH_MASTER_KEY });
    if (generate) {
      console.log(`\n## Generating a province of ${size.orgs.toLocaleString()} organisations and ${size.people.toLocaleString()} people on PostgreSQL`);
      marker = await generateProvince(client, size, system.services.deps.vault.encrypt(rosterIdNumber(1)), (l) => console.log(l));
      await writeMarker(client, marker);
    }
    const province = marker!;
    if (!generate) await keepLoginsAlive(client, (l) => console.log(l));
    const accounts = await accountsOf(system, generate ? null : province, client);
    const adminId = accounts.adminId;
    const { services } = system;
    // Left by an earlier run that stopped half-way: its announcements and their messages.
    await client.query(`DELETE FROM outbox_messages; DELETE FROM announcements`);

    const orgPath = async (id: number) => (await client.query('SELECT path FROM organisations WHERE id = $1', [id])).rows[0].path as string;
    const provincePath = await orgPath(province.provinceId);
    const params = [`${provincePath}%`, provincePath.length + 1];
    console.log(
      `\n## A province on PostgreSQL: ${province.counts.organisations.toLocaleString()} organisations, ${province.counts.people.toLocaleString()} people, ` +
        `${province.counts.fee_payments.toLocaleString()} fee payments, ${province.counts.chat_bindings.toLocaleString()} chat logins ` +
        `(${generate ? 'generated' : 'reused; generated'} in ${province.generatedS.toFixed(0)} s${generate ? '' : ', `--fresh` generates again'}); ` +
        `${roundsN} alternating rounds after a warm-up, median; floors: hand-written SQL through the bare pg driver`,
    );
    const capture = new SqlCapture();
    capture.attach(system.db.sequelize);

    // Entry progress of the province (R17): what /progress shows.
    {
      let check = '';
      const r = await rounds(
        roundsN,
        async () => {
          const { rows } = await client.query(entryProgressFloor.sql, entryProgressFloor.params(provincePath));
          const groups = rows.filter((x) => x.n !== null);
          check = `${groups.reduce((a, g) => a + Number(g.complete), 0)}/${groups.reduce((a, g) => a + Number(g.n), 0)} ${rows
            .filter((x) => x.n === null)
            .map((x) => x.child)
            .join()}`;
        },
        () =>
          capture.during('entry progress', async () => {
            const v = await services.entryProgress.view(adminId, province.provinceId, 0);
            const ours = `${v.complete}/${v.total} ${v.incomplete.rows.map((x) => x.id).join()}`;
            if (ours !== check) console.log(`  differs from the floor: floor ${check}, ours ${ours}`);
          }),
      );
      verdicts.line(
        'entry progress of the province',
        `${ms(r.ours)} = ${(r.ours / r.floor).toFixed(2)}× the floor (${ms(r.floor)})${r.note}`,
        r.ours <= 2000 && r.ours <= 1.5 * r.floor,
        'target ≤ 2,000 ms and ≤ 1.5× the floor',
      );
    }

    // The tree's first page: GET /api/orgs/tree's calls (the admin's roots, the node's view, its parent's reach).
    {
      const r = await rounds(
        roundsN,
        () => client.query(treeFirstPageFloor.sql, treeFirstPageFloor.params(provincePath)),
        () =>
          capture.during('tree, first page', async () => {
            const roots = await services.entryProgress.rootsOf(adminId);
            const view = await services.entryProgress.view(adminId, roots[0].id, 0);
            const org = (await services.organisations.get(view.org.id))!;
            if (org.parentId !== null) await services.admins.canManage(adminId, org.parentId);
          }),
      );
      verdicts.line('the tree’s first page', `${ms(r.ours)} (floor ${ms(r.floor)})${r.note}`, r.ours <= 300, 'target ≤ 300 ms');
    }

    // A page of the province's people per filter: GET /api/orgs/:id/people (owing: see /fees below).
    for (const scope of ['subtree', 'own'] as const) {
      for (const filter of ['all', 'incomplete', 'unverified'] as const) {
        if (scope === 'own' && filter !== 'all') continue;
        const floor = peopleFloor(PEOPLE_FILTERS[filter]);
        const floorParams = scope === 'own' ? [provincePath] : [`${provincePath}%`];
        let floorIds = '';
        let total = 0;
        const r = await rounds(
          roundsN,
          async () => {
            if (scope === 'subtree') {
              // Counted up to 10,001 and the first page walked by name, as the list does for a large subtree.
              const { rows } = await client.query(peoplePageFloor(filter).sql, floorParams);
              total = Number(rows[0].n);
              floorIds = rows
                .slice(1)
                .map((x) => x.id)
                .join();
              return;
            }
            const [count, page] = [await client.query(floor.count, floorParams), await client.query(floor.page, floorParams)];
            total = count.rows[0].n;
            floorIds = page.rows.map((x) => x.id).join();
          },
          () =>
            capture.during(`people list, ${filter}, ${scope}`, async () => {
              const list = await services.orgPeople.list(adminId, province.provinceId, { filter, scope, page: 0, pageSize: 20 });
              const ids = list.items.map((x) => x.id).join();
              // The subtree floor counts branch members only (post holders join under the cap): under the cap only the own scope compares.
              const comparable = scope === 'own' || total > services.orgPeople.countCap;
              if (comparable && (ids !== floorIds || list.total !== Math.min(total, services.orgPeople.countCap)))
                console.log(`  differs from the floor: floor ${total} people, ours ${list.total}`);
            }),
        );
        verdicts.line(
          `people list, filter=${filter}&scope=${scope} (${total.toLocaleString()} people)`,
          `${ms(r.ours)} (floor ${ms(r.floor)})${r.note}`,
          r.ours <= 200,
          'target ≤ 200 ms',
        );
      }
    }

    // /fees of the province: the summary and the owing list's first page, each in a process of its own.
    {
      const now = new Date();
      const year = now.getUTCFullYear();
      const months = now.getUTCMonth() + 1;
      const feeParams = [...params, year, months];
      const t = performance.now();
      const floorSummary = await client.query(FEES_SUMMARY_FLOOR, feeParams);
      const floorSummaryMs = since(t);
      const t2 = performance.now();
      const floorOwing = await client.query(FEES_OWING_FLOOR, feeParams);
      const floorOwingMs = since(t2);
      const payers = floorSummary.rows.find((x) => x.child === null)?.payers ?? 0;
      const heapMb = small ? 1024 : 3072;
      const timeoutMs = small ? 60_000 : 240_000;
      for (const [what, floorMs, note] of [
        ['summary', floorSummaryMs, `${Number(payers).toLocaleString()} payers`],
        ['owing', floorOwingMs, `${Number(floorOwing.rows[0]?.total ?? 0).toLocaleString()} owing`],
      ] as const) {
        const res = await feesChild(
          { url, masterKey: BENCH_MASTER_KEY.toString('base64'), adminId, orgId: province.provinceId, warmOrgId: province.countyId, what },
          { heapMb, timeoutMs },
        );
        const name = what === 'summary' ? `/fees summary of the province (${note})` : `/fees owing page of the province (${note})`;
        if (!res.ok) {
          verdicts.line(name, res.why, false, `floor ${ms(floorMs)}; target ≤ 1,000 ms, < 300 MB above idle`);
          continue;
        }
        capture.add(`/fees ${what}`, res.statements);
        const above = res.peakRss - res.idleRss;
        verdicts.line(
          name,
          `${ms(res.ms)}, peak RSS ${mb(above)} above idle (heap peak ${mb(res.heapPeak - res.idleHeap)} above idle), ${res.sent.toLocaleString()} statements`,
          res.ms <= 1000 && above < 300 * 1024 * 1024,
          `floor ${ms(floorMs)} (one statement); target ≤ 1,000 ms, < 300 MB above idle`,
        );
      }
    }

    // Queueing an announcement to the whole province (R21): the background job's pages, for at most a minute.
    let announcementId = 0;
    {
      const capMs = Number(process.env.PROVINCE_BENCH_QUEUE_S ?? 60) * 1000;
      // The floor: the whole province (a city at full size, to bound the run) in one INSERT … SELECT, rolled back.
      const floorPath = small ? provincePath : await orgPath(province.cityId);
      await client.query('BEGIN');
      const t = performance.now();
      const floorRows = (await client.query(QUEUE_FLOOR, [`${floorPath}%`])).rowCount ?? 0;
      const floorMs = since(t);
      await client.query('ROLLBACK');
      const floorRate = floorRows / (floorMs / 1000);
      const t0 = performance.now();
      let pages = 0;
      let done = false;
      await capture.during('announcement, queueing', async () => {
        const a = await services.announcements.create(adminId, { orgId: province.provinceId, audience: 'all', orgKind: null, text: '省级基准通知' });
        announcementId = a.id;
        while (since(t0) < capMs) {
          const step = await services.announcements.enqueueNext();
          pages++;
          if (!step || step.done) {
            done = true;
            break;
          }
        }
      });
      const took = since(t0);
      const { rows } = await client.query('SELECT recipients, enqueued, messages FROM announcements WHERE id = $1', [announcementId]);
      const { recipients, enqueued, messages } = rows[0];
      // Stopped here: the server processes below only send what is queued.
      await client.query(`UPDATE announcements SET status = 'queued' WHERE id = $1`, [announcementId]);
      const rate = enqueued / (took / 1000);
      verdicts.line(
        `queueing an announcement to the province (${Number(recipients).toLocaleString()} recipients)`,
        `${Math.round(rate).toLocaleString()} recipients/s (${Number(enqueued).toLocaleString()} queued, ${Number(messages).toLocaleString()} messages, in ${(took / 1000).toFixed(1)} s, ${pages} pages${done ? '' : `; stopped at the ${capMs / 1000} s cap`})`,
        rate >= 20_000,
        `floor ${Math.round(floorRate).toLocaleString()} rows/s (${floorRows.toLocaleString()} rows in one INSERT … SELECT, ${small ? 'the province' : 'one city'}); target ≥ 20,000 recipients/s`,
      );
    }

    // The sender (a server process through the Telegram adapter to the emulator), then /me over two server processes.
    const env = { DATABASE_URL: url, ID_ENCRYPTION_KEY: BENCH_MASTER_KEY.toString('base64'), QUIET_HOURS: 'off', DATA_DIR: '/tmp/zhtj-bench-province' };
    const pending = Number((await client.query(`SELECT COUNT(*) AS n FROM outbox_messages WHERE status = 'pending'`)).rows[0].n);
    const sender = await measureSender(env, { max: Math.min(pending, small ? 3_000 : 20_000) });
    verdicts.line(
      'the sender',
      sender.delivered
        ? `${Math.round(sender.rate)}/s = ${((sender.rate / sender.limit) * 100).toFixed(0)} % of the ${sender.limit.toLocaleString()}/s limit (${sender.delivered.toLocaleString()} messages in ${sender.seconds.toFixed(1)} s, ${sender.refused} answered 429)`
        : 'nothing delivered',
      sender.rate >= 0.9 * sender.limit,
      `floor: the limit, ${sender.limit.toLocaleString()}/s; target ≥ 90 %`,
    );
    // Whatever the sender left is not sent by the /me servers meanwhile.
    await client.query(`DELETE FROM outbox_messages; DELETE FROM announcements`);
    const me = await measureMe(env, client, accounts.webUsers, { requests: small ? 1_000 : 4_000 });
    verdicts.line(
      '/me over two server processes',
      `p99 ${ms(me.p99)}, p50 ${ms(me.p50)} (${me.n.toLocaleString()} requests, ${me.failures} failed)`,
      me.p99 <= 20 && me.failures === 0,
      `floor p99 ${ms(me.floorP99)} (the same reads by hand); target p99 ≤ 20 ms`,
    );
    await client.query(`DELETE FROM outbox_messages; DELETE FROM announcements`);

    // The plans of every statement the measured code sent.
    const statements = capture.distinct();
    const findings = await checkPlans(client, statements, { forceIndexes: small });
    const flagged = findings.filter((f) => f.seqScans.length);
    const unexplained = findings.filter((f) => f.error);
    console.log(
      `\n## Plans: ${statements.length} distinct statements sent by the code measured above, each EXPLAINed${small ? ' with enable_seqscan = off (so a small table shows whether an index could serve it)' : ''}`,
    );
    const shapes = new Map<string, { f: PlanFinding; n: number }>();
    for (const f of flagged) {
      const key = `${f.section}\0${shapeOf(f.sql)}`;
      const seen = shapes.get(key);
      if (seen) seen.n++;
      else shapes.set(key, { f, n: 1 });
    }
    for (const { f, n } of shapes.values())
      console.log(`✗ ${f.section}${n > 1 ? ` (${n} statements of this shape)` : ''}: sequential scan of ${f.seqScans.join(', ')} — ${brief(f.sql)}`);
    for (const f of unexplained) console.log(`? ${f.section}: not explained (${f.error}) — ${brief(f.sql, 100)}`);
    verdicts.line('plans', `${flagged.length} of ${findings.length} statements scan people or organisations sequentially`, flagged.length === 0, 'target 0');

    console.log(`\n${verdicts.misses.length ? `${verdicts.misses.length} figures missed their targets` : 'every figure met its target'}`);
    if (small && flagged.length) process.exitCode = 1;
    if (strict && verdicts.misses.length) process.exitCode = 1;
  } finally {
    await system?.close();
    await client.end();
  }
}
