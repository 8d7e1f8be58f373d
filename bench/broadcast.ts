/**
 * A broadcast (R21): an announcement to 20,000 people, each logged in on Telegram, delivered
 * by a real server process (`server/main.ts`: the outbox sender → the Telegram adapter) to the
 * Bot API emulator, which enforces an overall rate (1,000 messages a second by default) and
 * answers 429 with retry_after above it. Measured at the emulator: the rate achieved from the
 * first message to the last as a share of the limit, the 429s, duplicates and losses. Then a
 * second announcement, the server killed with SIGKILL half-way and started again: losses, and
 * duplicates against the sender's in-flight bound (OUTBOX_CONCURRENCY).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { BotApiEmulator, type ApiCall } from '../test/helpers/telegram/bot-api-emulator';
import { addCrowd } from '../test/helpers/fixtures/crowd';
import { startServerProcess } from '../test/helpers/processes/server-process';
import { Client } from 'pg';
import { rosterIdNumber } from './roster-data';
import { report } from './stats';

const PEOPLE = Number(process.env.BROADCAST_BENCH_PEOPLE ?? 20_000);
const LIMIT = Number(process.env.BROADCAST_BENCH_LIMIT ?? 1000);
const CONCURRENCY = Number(process.env.BROADCAST_BENCH_CONCURRENCY ?? 4);
const BRANCHES = 40;
const FIRST_CHAT = 8_000_000;
const TOKEN = '777000111:AAHbench-zhtj-token-0123456789';

/**
 * The database of the run: an SQLite file in `dir`, or, when BENCH_DATABASE_URL names a
 * PostgreSQL server, a fresh database created on it (dropped by `drop`).
 */
async function benchDatabase(dir: string): Promise<{ url: string; label: string; drop: () => Promise<void> }> {
  const server = process.env.BENCH_DATABASE_URL;
  if (!server?.startsWith('postgres')) return { url: `sqlite:${path.join(dir, 'bench.sqlite')}`, label: 'SQLite', drop: async () => undefined };
  const name = `zhtj_bench_broadcast_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), label: 'PostgreSQL', drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A city committee with BRANCHES branches sharing PEOPLE members, each in a chat of their own; an admin; returns its id. */
async function prepare(databaseUrl: string, dataDir: string): Promise<{ adminId: number; orgId: number }> {
  const system = await buildSystem({ databaseUrl, dataDir, scryptLog2N: 10 }, createLogger('silent'));
  const { organisations, accounts, admins } = system.services;
  const city = await organisations.create({ parentId: null, fullName: '共青团广播基准市委员会', shortName: '广播基准市团委', kind: 'leading_body' });
  const per = Math.ceil(PEOPLE / BRANCHES);
  for (let b = 0; b < BRANCHES; b++) {
    const branch = await organisations.create({
      parentId: city.id,
      fullName: `共青团广播基准市第${b + 1}团支部`,
      shortName: `广播${b + 1}支部`,
      kind: 'branch',
    });
    const count = Math.min(per, PEOPLE - b * per);
    if (count > 0) await addCrowd(system, { branchId: branch.id, count, firstChat: FIRST_CHAT + b * per });
  }
  const admin = await accounts.create({ idNumber: rosterIdNumber(0, '110105'), name: '广播管理', role: 'cadre', branchId: null, password: 'Admin2024x' });
  await admins.add(city.id, admin.id);
  await system.close();
  return { adminId: admin.id, orgId: city.id };
}

/** Confirms an announcement to the whole city and queues its recipients (as the background job does); returns its text and the time queuing took. */
async function announce(databaseUrl: string, dataDir: string, who: { adminId: number; orgId: number }, text: string): Promise<number> {
  const system = await buildSystem({ databaseUrl, dataDir, scryptLog2N: 10 }, createLogger('silent'));
  const started = performance.now();
  await system.services.announcements.create(who.adminId, { orgId: who.orgId, audience: 'all', orgKind: null, text });
  while (await system.services.announcements.enqueueNext());
  const ms = performance.now() - started;
  await system.close();
  return ms;
}

/** Successful sends of `text` per chat, with the first and last time, and the 429s answered. */
function counter(emu: BotApiEmulator, text: string) {
  const perChat = new Map<number, number>();
  let first = 0;
  let last = 0;
  let refused = 0;
  const stop = emu.onCall((call: ApiCall) => {
    if (call.method !== 'sendMessage' || !String(call.params.text).includes(text)) return;
    if (call.result === undefined) {
      refused++;
      return;
    }
    const chat = Number(call.params.chat_id);
    perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    first ||= performance.now();
    last = performance.now();
  });
  return {
    stop,
    delivered: () => perChat.size,
    figures() {
      const duplicates = [...perChat.values()].reduce((sum, n) => sum + n - 1, 0);
      return { delivered: perChat.size, lost: PEOPLE - perChat.size, duplicates, refused, seconds: (last - first) / 1000 };
    },
  };
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Prints the broadcast figures beside their targets. */
export async function benchBroadcast(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-broadcast-'));
  const emu = await BotApiEmulator.start({ token: TOKEN });
  const expectedS = PEOPLE / LIMIT;
  const db = await benchDatabase(dir);
  try {
    const databaseUrl = db.url;
    const who = await prepare(databaseUrl, dir);
    emu.limitOverall({ perSecond: LIMIT, retryAfterS: 1 });
    const env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      LOCAL_CHAT: 'off',
      LOG_LEVEL: 'info',
      QUIET_HOURS: 'off',
      TELEGRAM_RATE: String(LIMIT),
      OUTBOX_CONCURRENCY: String(CONCURRENCY),
    };
    console.log(
      `\n## Broadcast: ${PEOPLE.toLocaleString()} messages to ${PEOPLE.toLocaleString()} users, a server process through the Telegram adapter to the Bot API emulator limited to ${LIMIT.toLocaleString()}/s (429 retry_after 1 s above it); TELEGRAM_RATE=${LIMIT}, OUTBOX_CONCURRENCY=${CONCURRENCY}, ${db.label}`,
    );

    const queuedMs = await announce(databaseUrl, dir, who, '广播基准通知一');
    console.log(`queuing the recipients in the background: ${(queuedMs / 1000).toFixed(1)} s for ${PEOPLE.toLocaleString()} people`);
    const one = counter(emu, '广播基准通知一');
    const server = await startServerProcess(env);
    const done = await until(() => one.delivered() >= PEOPLE, expectedS * 4000 + 60_000);
    await new Promise((r) => setTimeout(r, 2000)); // a late duplicate would show now
    await server.stop();
    one.stop();
    const a = one.figures();
    const rate = a.delivered / a.seconds;
    console.log(`delivered ${a.delivered.toLocaleString()} in ${a.seconds.toFixed(1)} s (first to last message)${done ? '' : ' — TIMED OUT'}`);
    report('broadcast rate', `${rate.toFixed(0)}/s = ${((rate / LIMIT) * 100).toFixed(0)} % of the ${LIMIT}/s limit`, rate / LIMIT >= 0.9, 'target ≥ 90 %');
    report(
      '429 answers during the broadcast',
      String(a.refused),
      a.refused <= CONCURRENCY,
      `target few (each waited out; at most ${CONCURRENCY}, the sends in flight)`,
    );
    report('duplicates', String(a.duplicates), a.duplicates === 0, 'target 0');
    report('losses', String(a.lost), a.lost === 0, 'target 0');

    console.log(`\n## The same broadcast, the server killed with SIGKILL half-way and started again`);
    await announce(databaseUrl, dir, who, '广播基准通知二');
    const two = counter(emu, '广播基准通知二');
    const first = await startServerProcess(env);
    await until(() => two.delivered() >= PEOPLE / 2, expectedS * 4000 + 60_000);
    await first.kill();
    const atKill = two.delivered();
    const second = await startServerProcess(env);
    const finished = await until(() => two.delivered() >= PEOPLE, expectedS * 4000 + 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    await second.stop();
    two.stop();
    const b = two.figures();
    console.log(
      `killed with ${atKill.toLocaleString()} delivered; after the restart ${b.delivered.toLocaleString()}${finished ? '' : ' — TIMED OUT'}; 429s ${b.refused}`,
    );
    report('losses after kill -9 and restart', String(b.lost), b.lost === 0, 'target 0');
    report(
      'duplicates after kill -9 and restart',
      String(b.duplicates),
      b.duplicates <= CONCURRENCY,
      `target ≤ ${CONCURRENCY} (the sender's in-flight bound, OUTBOX_CONCURRENCY)`,
    );
  } finally {
    await emu.stop();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
