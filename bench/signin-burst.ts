/**
 * The sign-in burst (活动签到, R19): the room of a league day, 1,000 participants signing in to
 * one activity at once through the Telegram adapter (half typing the 6-digit code, half opening
 * the QR code's deep link `/start signin_<token>`), on SQLite. Each reply's latency is from
 * handing the update in to its sendMessage call captured (no network, no pacing: Telegram's
 * own pace is printed apart). Beside it, the floor of the bot pipeline bench (a bare telegraf
 * echo bot keeping one sqlite3 row per user) driven with the same 1,000 updates at once.
 * Rounds alternate floor and ours, each round a fresh activity; the median round is kept.
 * Then every sign-in is checked stored once, and 100 repeats answer 您已签到 and change nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import { TelegramChannel } from '../bot/telegram';
import { TELEGRAM_PACE } from '../bot/pacer';
import { BULK_WRITE_DEADLINE_MS, type Activity } from '../models';
import { bulkInsert } from '../models/fast-sql';
import { createLogger } from '../server/logger';
import { buildSystem, type System } from '../server/system';
import { floor, meUpdate } from './bot-pipeline';
import { rosterIdNumber } from './roster-data';
import { percentile, report } from './stats';

const BRANCHES = 20;
const PER_BRANCH = 50;
const PARTICIPANTS = BRANCHES * PER_BRANCH;
const WARMUP = 100;
const REPEATS = 100;
const ROUNDS = Number(process.env.SIGNIN_BENCH_ROUNDS ?? 3);
const TARGET_S = 5;
const MINUTE = 60_000;
const FIRST_USER = 7_000_000;

/** One burst: every reply's latency, the wall time, and what was answered. */
interface Burst {
  latencies: number[];
  wallMs: number;
  texts: string[];
}

/** Chats whose first reply is waited for: when their update was handed in, and where the reply goes. */
const waiting = new Map<string, { t0: bigint; done: (text: string, ms: number) => void }>();

/** Hands every update in at once; resolves when all are handled, with each chat's reply latency. */
async function burst(handle: (update: object) => Promise<void>, updates: Array<ReturnType<typeof meUpdate>>): Promise<Burst> {
  const latencies: number[] = [];
  const texts: string[] = [];
  const handled: Promise<void>[] = [];
  const start = process.hrtime.bigint();
  for (const u of updates) {
    waiting.set(String(u.message.chat.id), { t0: process.hrtime.bigint(), done: (text, ms) => (texts.push(text), latencies.push(ms)) });
    handled.push(handle(u));
  }
  await Promise.all(handled);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  waiting.clear(); // an update answered with nothing has no latency: it shows as a missing reply
  return { latencies: latencies.sort((a, b) => a - b), wallMs, texts };
}

/** Replies go nowhere; the first sendMessage to a waited-for chat stamps its latency. */
function stubBotApi(): () => void {
  const callApi = Telegram.prototype.callApi;
  Telegram.prototype.callApi = (async (method: string, payload: { chat_id?: number | string; text?: string }) => {
    const w = method === 'sendMessage' && waiting.get(String(payload.chat_id));
    if (w) {
      waiting.delete(String(payload.chat_id));
      w.done(payload.text ?? '', Number(process.hrtime.bigint() - w.t0) / 1e6);
    }
    return { message_id: 1, date: 0, chat: { id: Number(payload.chat_id ?? 0), type: 'private' }, text: '' };
  }) as never;
  return () => {
    Telegram.prototype.callApi = callApi;
  };
}

interface World {
  system: System;
  adminId: number;
  committeeId: number;
  warmupBranchId: number;
  /** Telegram user ids of the committee's people, in person id order; then of the warm-up branch's. */
  users: number[];
  warmupUsers: number[];
}

/**
 * A city committee › a school committee with 20 branches of 50 (the room), and a branch beside
 * it for warming up; everyone logged in to Telegram two days ago (so the burst also records
 * their last use, as a real one would).
 */
async function world(dir: string): Promise<World> {
  const logger = createLogger('silent');
  const system = await buildSystem({ databaseUrl: `sqlite:${path.join(dir, 'bench.sqlite')}`, dataDir: dir, scryptLog2N: 10 }, logger, {
    masterKey: crypto.randomBytes(32),
  });
  const { organisations, accounts, admins } = system.services;
  const { vault } = system.services.deps;
  const city = await organisations.create({ parentId: null, fullName: '共青团签到基准市委员会', shortName: '签到基准市团委', kind: 'leading_body' });
  const committee = await organisations.create({ parentId: city.id, fullName: '共青团签到基准市第一中学委员会', shortName: '签到一中团委', kind: 'committee' });
  const branches: number[] = [];
  for (let b = 1; b <= BRANCHES; b++)
    branches.push(
      (
        await organisations.create({
          parentId: committee.id,
          fullName: `共青团签到基准市第一中学高二（${b}）班团支部`,
          shortName: `高二${b}班团支部`,
          kind: 'branch',
        })
      ).id,
    );
  const warmup = await organisations.create({ parentId: city.id, fullName: '共青团签到基准市预热团支部', shortName: '预热团支部', kind: 'branch' });
  const admin = await accounts.create({ idNumber: rosterIdNumber(0, '110105'), name: '签到组织者', role: 'cadre', branchId: null, password: 'Admin2024x' });
  await admins.add(city.id, admin.id);

  // People and their Telegram logins, written in bulk (what /login leaves behind: a chat binding).
  const [{ max }] = await system.db.fast.all<{ max: number }>('SELECT MAX(id) AS max FROM people');
  const now = new Date();
  const seen = new Date(now.getTime() - 2 * 86_400_000);
  const sealed = vault.encrypt(rosterIdNumber(1));
  const people: unknown[][] = [];
  const bindings: unknown[][] = [];
  const owners = [...branches.flatMap((b) => Array<number>(PER_BRANCH).fill(b)), ...Array<number>(WARMUP).fill(warmup.id)];
  owners.forEach((branchId, i) => {
    const id = Number(max) + 1 + i;
    people.push([
      id,
      sealed,
      crypto.createHash('sha256').update(`signin-bench-${i}`).digest('hex'),
      `640104********${String(i).padStart(4, '0')}`,
      `签到者${i}`,
      i % 2 ? 'M' : 'F',
      '2008-05-04',
      i % 50 ? 'member' : 'cadre',
      branchId,
    ]);
    bindings.push(['telegram', String(FIRST_USER + i), String(FIRST_USER + i), id]);
  });
  await system.db.transaction(
    async (t) => {
      await bulkInsert(
        system.db.sequelize,
        t,
        'people',
        ['id', 'id_cipher', 'id_hash', 'id_masked', 'name', 'gender', 'birth_date', 'role', 'branch_id'],
        people,
        {
          must_change_password: false,
          verification_state: 'verified',
          created_at: now,
          updated_at: now,
        },
      );
      await bulkInsert(system.db.sequelize, t, 'chat_bindings', ['channel', 'external_user_id', 'chat_id', 'person_id'], bindings, {
        last_seen_at: seen,
        created_at: seen,
        updated_at: seen,
      });
    },
    undefined,
    { deadlineMs: BULK_WRITE_DEADLINE_MS },
  );
  const users = owners.map((_, i) => FIRST_USER + i);
  return {
    system,
    adminId: admin.id,
    committeeId: committee.id,
    warmupBranchId: warmup.id,
    users: users.slice(0, PARTICIPANTS),
    warmupUsers: users.slice(PARTICIPANTS),
  };
}

/** An activity of `orgId` starting in 5 minutes (sign-in open, by its window), everyone of the organisation picked (全选). */
async function activity(w: World, orgId: number, title: string): Promise<Activity> {
  const { activities, activityParticipants } = w.system.services;
  const startsAt = new Date(Date.now() + 5 * MINUTE);
  const a = await activities.create(w.adminId, {
    orgId,
    kind: 'league_day',
    title,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 90 * MINUTE),
    place: '学校报告厅',
  });
  await activityParticipants.addOrg(w.adminId, a.id, orgId);
  return a;
}

let updateId = 1;
/** Every other one types the code, the rest open the deep link. */
function signinUpdates(users: number[], a: Activity): Array<ReturnType<typeof meUpdate>> {
  return users.map((u, i) => meUpdate(updateId++, u, i % 2 ? `/start signin_${a.signinToken}` : a.signinCode));
}

async function signedIn(w: World, activityId: number): Promise<Array<{ person_id: number; signed_in_at: string | null }>> {
  return w.system.db.fast.all('SELECT person_id, signed_in_at FROM activity_participants WHERE activity_id = ? ORDER BY person_id', [activityId]);
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const perSecond = (b: Burst, n: number) => (n / b.wallMs) * 1000;
const medianBurst = (bursts: Burst[]) => [...bursts].sort((x, y) => x.wallMs - y.wallMs)[Math.floor(bursts.length / 2)];

/** Prints the sign-in burst beside the bot pipeline's floor, measured in the same run. */
export async function benchSigninBurst(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-signin-'));
  const restore = stubBotApi();
  try {
    const w = await world(dir);
    const bare = await floor(dir);
    // Telegram's per-chat and overall pace (25 messages a second) is not what is measured here; see below.
    const pace = { perChatBurst: 1e9, perChatPerSecond: 1e9, overallBurst: 1e9, overallPerSecond: 1e9 };
    const channel = new TelegramChannel({ token: '1:bench', apiRoot: 'http://127.0.0.1:9', runner: w.system.runner, logger: w.system.logger, pace });
    const ours = (u: object) => channel.handleUpdate(u as never);

    // Warming up both sides: a smaller burst in a branch of its own.
    const warm = await activity(w, w.warmupBranchId, '预热签到团日');
    const warmUpdates = signinUpdates(w.warmupUsers.slice(0, WARMUP), warm);
    await burst((u) => bare.handleUpdate(u), warmUpdates);
    await burst(
      ours,
      warmUpdates.map((u) => ({ ...u, update_id: updateId++ })),
    );

    const floors: Burst[] = [];
    const mine: Burst[] = [];
    const rounds: Activity[] = [];
    let wrong = 0; // replies other than 签到成功, and updates answered with none
    for (let r = 0; r < ROUNDS; r++) {
      const a = await activity(w, w.committeeId, `主题团日签到基准第${r + 1}场`);
      rounds.push(a);
      const updates = signinUpdates(w.users, a);
      floors.push(await burst((u) => bare.handleUpdate(u), updates));
      const b = await burst(
        ours,
        updates.map((u) => ({ ...u, update_id: updateId++ })),
      );
      wrong += PARTICIPANTS - b.texts.filter((t) => t.includes('签到成功')).length;
      mine.push(b);
    }

    // Stored once: every participant of every round signed in, and 100 repeats change nothing.
    const first = rounds[0];
    const before = await signedIn(w, first.id);
    const repeat = await burst(ours, signinUpdates(w.users.slice(0, REPEATS), first));
    const after = await signedIn(w, first.id);
    const unchanged = before.length === after.length && before.every((row, i) => row.signed_in_at === after[i].signed_in_at);
    const repeatsAlready = repeat.texts.filter((t) => t.includes('您已签到')).length;
    let stored = 0;
    for (const a of rounds) stored += (await signedIn(w, a.id)).filter((row) => row.signed_in_at !== null).length;
    const [{ n: storedRows }] = await w.system.db.fast.all<{ n: number }>(
      `SELECT COUNT(*) AS n FROM activity_participants WHERE activity_id IN (${rounds.map((a) => a.id).join(',')})`,
    );
    await bare.close();
    await w.system.close();

    const f = medianBurst(floors);
    const o = medianBurst(mine);
    const ratio = perSecond(o, PARTICIPANTS) / perSecond(f, PARTICIPANTS);
    const pacedS = (PARTICIPANTS - TELEGRAM_PACE.overallBurst) / TELEGRAM_PACE.overallPerSecond;
    console.log(
      `\n## Sign-in burst: ${PARTICIPANTS.toLocaleString()} participants (${BRANCHES} branches × ${PER_BRANCH}) signing in to one activity at once through the Telegram adapter, half by the 6-digit code, half by the deep link; ${ROUNDS} alternating rounds (a fresh activity each), median round`,
    );
    console.log(
      `floor (bare telegraf echo + one sqlite3 row per user, the same ${PARTICIPANTS} updates at once): ${(f.wallMs / 1000).toFixed(2)} s, ${perSecond(f, PARTICIPANTS).toFixed(0)} updates/s, reply p50 ${ms(percentile(f.latencies, 50))}, p99 ${ms(percentile(f.latencies, 99))}`,
    );
    console.log(
      `ours  (update → session → sign-in → reply → handled mark, SQLite): ${(o.wallMs / 1000).toFixed(2)} s, ${perSecond(o, PARTICIPANTS).toFixed(0)} sign-ins/s (${(ratio * 100).toFixed(0)}% of the floor), reply p50 ${ms(percentile(o.latencies, 50))}, p99 ${ms(percentile(o.latencies, 99))}`,
    );
    console.log(
      `all rounds, floor: ${floors.map((b) => `${(b.wallMs / 1000).toFixed(2)} s`).join(', ')}; ours: ${mine.map((b) => `${(b.wallMs / 1000).toFixed(2)} s`).join(', ')}`,
    );
    console.log(
      `repeats (${REPEATS} at once, already signed in): ${(repeat.wallMs / 1000).toFixed(2)} s, reply p50 ${ms(percentile(repeat.latencies, 50))}, p99 ${ms(percentile(repeat.latencies, 99))}`,
    );
    console.log(
      `stored: ${stored} of ${storedRows} participant rows signed in over ${ROUNDS} rounds, ${wrong} replies other than 签到成功; repeats answered 您已签到: ${repeatsAlready} of ${REPEATS}, sign-in times ${unchanged ? 'unchanged' : 'CHANGED'}`,
    );
    console.log(
      `(with Telegram's pace, ${TELEGRAM_PACE.overallPerSecond} messages a second overall, the ${PARTICIPANTS} replies alone take ≥ ${pacedS.toFixed(0)} s, whatever the server does: the sign-ins are stored before their replies go out)`,
    );
    report(
      'sign-in burst time',
      `${(o.wallMs / 1000).toFixed(2)} s for ${PARTICIPANTS} sign-ins`,
      o.wallMs <= TARGET_S * 1000,
      `target ≤ ${TARGET_S} s on SQLite (floor ${(f.wallMs / 1000).toFixed(2)} s, ours ${(ratio * 100).toFixed(0)}% of its throughput)`,
    );
    const once = stored === ROUNDS * PARTICIPANTS && storedRows === ROUNDS * PARTICIPANTS && wrong === 0 && repeatsAlready === REPEATS && unchanged;
    report(
      'sign-ins stored once',
      once ? `${ROUNDS}× ${PARTICIPANTS} of ${PARTICIPANTS}` : 'NO',
      once,
      `target: each participant signed in exactly once, repeats answered 您已签到 and change nothing`,
    );
  } finally {
    restore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
