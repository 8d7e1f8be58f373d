/**
 * Picking participants (R18, 全选): everyone of a school committee's subtree, 20 branches of 50
 * = 1,000 people (the limit of one activity), among 50 other committees of the same shape
 * (50,000 people elsewhere), on SQLite. ActivityParticipants.addOrg on a fresh activity each
 * round, beside the floor: the same work in bare SQL with the sqlite3 driver (count the people
 * under the committee's path, select their ids, insert 1,000 rows in one transaction), each on
 * a fresh activity too, rounds alternating. The median round of each is kept.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { BULK_WRITE_DEADLINE_MS } from '../models';
import { bulkInsert } from '../models/fast-sql';
import { createLogger } from '../server/logger';
import { MAX_PARTICIPANTS } from '../server/services/activities/activity-participants';
import { buildSystem, type System } from '../server/system';
import { rosterIdNumber } from './roster-data';
import { random } from './random';
import { percentile, report } from './stats';

const BRANCHES = 20;
const PER_BRANCH = 50;
const COMMITTEES = 51; // the one picked and 50 around it
const ROUNDS = Number(process.env.PICK_BENCH_ROUNDS ?? 10);
const WARMUP = 2;
const RATIO_TARGET = 3;
const TIME_TARGET_MS = 1000;
const MINUTE = 60_000;

/**
 * The floor's SQL: the people under a path (branch members but applicants, and post holders), as
 * R18 counts them, with the path prefix as the range the path index serves ('/1/2/' as
 * ['/1/2/', '/1/20'): '0' follows '/'), the fastest bare form.
 */
const UNDER = `SELECT p.id AS id FROM people p JOIN organisations o ON o.id = p.branch_id WHERE o.path >= ? AND o.path < ? AND p.role <> 'applicant'
  UNION SELECT t.person_id AS id FROM posts t JOIN organisations o ON o.id = t.org_id WHERE o.path >= ? AND o.path < ?`;
/** The product's form (activity-participants.ts, SQLite), to show its plan. */
const PRODUCT_UNDER = `SELECT p.id AS id FROM people p WHERE p.branch_id IN (SELECT id FROM organisations WHERE path GLOB ?) AND p.role <> 'applicant'
  UNION SELECT t.person_id AS id FROM posts t WHERE t.org_id IN (SELECT id FROM organisations WHERE path GLOB ?)`;

interface World {
  system: System;
  adminId: number;
  committeeId: number;
  committeePath: string;
  people: number;
}

/**
 * A city (root) › 51 school committees › 20 branches each › 50 people each, the first of each
 * branch its secretary (a post). People lie scattered as an import writes them (ids shuffled
 * over branches). Written in bulk; the admin of the city is made through the services.
 */
async function world(dir: string): Promise<World> {
  const system = await buildSystem({ databaseUrl: `sqlite:${path.join(dir, 'bench.sqlite')}`, dataDir: dir, scryptLog2N: 10 }, createLogger('silent'), {
    masterKey: crypto.randomBytes(32),
  });
  const { vault } = system.services.deps;
  const now = new Date();
  const stamps = { created_at: now, updated_at: now };
  const orgs: unknown[][] = [];
  const org = (id: number, parentId: number | null, p: string, depth: number, kind: string, name: string) =>
    orgs.push([id, parentId, p, depth, name, name, name.slice(-10), kind, 'Bench123']);
  org(1, null, '/1/', 0, 'leading_body', '共青团选人基准市委员会');
  const branchIds: number[] = [];
  let id = 1;
  for (let c = 0; c < COMMITTEES; c++) {
    const committee = ++id;
    org(committee, 1, `/1/${committee}/`, 1, 'committee', `共青团选人基准市第${c + 1}中学委员会`);
    for (let b = 0; b < BRANCHES; b++) {
      const branch = ++id;
      org(branch, committee, `/1/${committee}/${branch}/`, 2, 'branch', `共青团选人基准市第${c + 1}中学${b + 1}班团支部`);
      branchIds.push(branch);
    }
  }
  // Each branch's 50 people, then shuffled: the picked committee's people lie among all the others.
  const placed = branchIds.flatMap((b) => Array<number>(PER_BRANCH).fill(b));
  const rnd = random(18);
  for (let i = placed.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [placed[i], placed[j]] = [placed[j], placed[i]];
  }
  const sealed = vault.encrypt(rosterIdNumber(1));
  const secretaries = new Set<number>();
  const people: unknown[][] = [];
  const posts: unknown[][] = [];
  placed.forEach((branchId, i) => {
    const personId = i + 1;
    const first = !secretaries.has(branchId);
    if (first) {
      secretaries.add(branchId);
      posts.push([personId, branchId, '团支部书记']);
    }
    people.push([
      personId,
      sealed,
      personId.toString(16).padStart(64, '0'),
      `640104********${String(personId % 10_000).padStart(4, '0')}`,
      '张晓明',
      personId % 2 ? 'M' : 'F',
      '2008-05-04',
      first ? 'cadre' : 'member',
      branchId,
    ]);
  });
  await system.db.transaction(
    async (t) => {
      const { sequelize } = system.db;
      await bulkInsert(
        sequelize,
        t,
        'organisations',
        ['id', 'parent_id', 'path', 'depth', 'full_name', 'name_key', 'short_name', 'kind', 'admin_code'],
        orgs,
        stamps,
      );
      for (let i = 0; i < people.length; i += 10_000) {
        await bulkInsert(
          sequelize,
          t,
          'people',
          ['id', 'id_cipher', 'id_hash', 'id_masked', 'name', 'gender', 'birth_date', 'role', 'branch_id'],
          people.slice(i, i + 10_000),
          { ...stamps, must_change_password: false },
        );
      }
      await bulkInsert(sequelize, t, 'posts', ['person_id', 'org_id', 'title'], posts, stamps);
    },
    undefined,
    { deadlineMs: BULK_WRITE_DEADLINE_MS },
  );
  const admin = await system.services.accounts.create({
    idNumber: rosterIdNumber(0, '110105'),
    name: '选人组织者',
    role: 'cadre',
    branchId: null,
    password: 'Admin2024x',
  });
  await system.services.admins.add(1, admin.id);
  return { system, adminId: admin.id, committeeId: 2, committeePath: '/1/2/', people: people.length };
}

/** A fresh league day of the committee (untimed), nobody picked yet. */
async function freshActivity(w: World, n: number): Promise<number> {
  const startsAt = new Date(Date.now() + 7 * 86_400_000 + n * MINUTE);
  const a = await w.system.services.activities.create(w.adminId, {
    orgId: w.committeeId,
    kind: 'league_day',
    title: `全选基准团日${n}`,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 90 * MINUTE),
  });
  return a.id;
}

/** The floor: a connection of its own with the plain sqlite3 driver. */
async function bareSql(file: string) {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(d)));
  });
  const all = <T>(sql: string, params: unknown[] = []) => new Promise<T[]>((res, rej) => db.all(sql, params, (e, rows) => (e ? rej(e) : res(rows as T[]))));
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));
  await run('PRAGMA busy_timeout = 30000');
  return { all, run, close: () => new Promise<void>((r) => db.close(() => r())) };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** Prints 全选 of a 1,000-person committee beside the bare SQL, measured in the same run. */
export async function benchParticipantsPick(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-pick-'));
  try {
    const w = await world(dir);
    const bare = await bareSql(path.join(dir, 'bench.sqlite'));
    const { fast } = w.system.db;
    const range = [w.committeePath, `${w.committeePath.slice(0, -1)}0`];
    const floorPick = async (activityId: number): Promise<number> => {
      const [{ n }] = await bare.all<{ n: number }>(`SELECT COUNT(*) AS n FROM (${UNDER}) x`, [...range, ...range]);
      if (n > MAX_PARTICIPANTS) throw new Error('over the limit');
      const ids = (await bare.all<{ id: number }>(`SELECT x.id FROM (${UNDER}) x`, [...range, ...range])).map((r) => r.id);
      const at = fast.timestamp(new Date());
      await bare.run('BEGIN IMMEDIATE');
      await bare.run(
        `INSERT INTO activity_participants (activity_id, person_id, response, walk_in, created_at) VALUES ${ids.map(() => "(?, ?, 'invited', 0, ?)").join(', ')}`,
        ids.flatMap((id) => [activityId, id, at]),
      );
      await bare.run('COMMIT');
      return ids.length;
    };
    const plan = (
      await bare.all<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT x.id FROM (${PRODUCT_UNDER}) x`, [`${w.committeePath}*`, `${w.committeePath}*`])
    ).map((r) => r.detail);
    const oursPick = async (activityId: number): Promise<number> =>
      (await w.system.services.activityParticipants.addOrg(w.adminId, activityId, w.committeeId)).added;

    const floors: number[] = [];
    const ours: number[] = [];
    const wrong: string[] = [];
    let n = 0;
    for (let r = 0; r < WARMUP + ROUNDS; r++) {
      for (const [side, pick, times] of [
        ['floor', floorPick, floors],
        ['ours', oursPick, ours],
      ] as const) {
        const activityId = await freshActivity(w, ++n);
        const t0 = process.hrtime.bigint();
        const added = await pick(activityId);
        const took = Number(process.hrtime.bigint() - t0) / 1e6;
        const [{ c }] = await fast.all<{ c: number }>('SELECT COUNT(*) AS c FROM activity_participants WHERE activity_id = ?', [activityId]);
        if (added !== BRANCHES * PER_BRANCH || Number(c) !== BRANCHES * PER_BRANCH) wrong.push(`${side} round ${r + 1}: added ${added}, stored ${c}`);
        if (r >= WARMUP) times.push(took);
      }
    }
    await bare.close();
    await w.system.close();

    const f = median(floors);
    const o = median(ours);
    const ratio = o / f;
    console.log(
      `\n## Participants pick (全选): a committee of ${BRANCHES} branches × ${PER_BRANCH} = ${(BRANCHES * PER_BRANCH).toLocaleString()} people among ${w.people.toLocaleString()} (${COMMITTEES - 1} committees alike around it), a fresh activity each round, ${ROUNDS} alternating rounds after ${WARMUP} warm-up, median`,
    );
    console.log(
      `floor (bare sqlite3, the subtree as a path range on the index: count, select the ids, one multi-row insert in a transaction): ${ms(f)} (rounds ${ms(Math.min(...floors))}–${ms(Math.max(...floors))})`,
    );
    console.log(
      `ours  (ActivityParticipants.addOrg: scope and admin checks, the limit counted, ids read, inserted with the activity locked): ${ms(o)} (rounds ${ms(Math.min(...ours))}–${ms(Math.max(...ours))})`,
    );
    const scans = plan.filter((d) => /^SCAN (p|t)\b/.test(d));
    console.log(
      `the product's subtree query plan: ${scans.length ? `${scans.join(', ')}: every person and post of the database read, for any subtree` : `no full scan of people or posts (${plan.join('; ')})`}`,
    );
    if (wrong.length) console.log(`wrong: ${wrong.join('; ')}`);
    report(
      'participants pick time',
      `${ratio.toFixed(2)}× the floor`,
      ratio <= RATIO_TARGET && !wrong.length,
      `target ≤ ${RATIO_TARGET}× the floor (${ms(f)})`,
    );
    report('participants pick, absolute', ms(o), o < TIME_TARGET_MS && !wrong.length, `target < ${TIME_TARGET_MS} ms for ${MAX_PARTICIPANTS} people`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
