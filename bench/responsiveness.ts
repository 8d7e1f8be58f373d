/**
 * Other users do not notice an import: a real server process (`server/main.ts`, long polling
 * against the Bot API emulator) answers a steady stream of `/me` from 20 users, first with
 * nothing else going on, then while an admin imports a 100,000-row spreadsheet sent in chat.
 * Latency is from the update being queued at the Bot API to the reply arriving there. The
 * server's RSS is sampled from /proc: idle, and its peak during the import.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { BotApiEmulator, type ApiCall } from '../test/helpers/telegram/bot-api-emulator';
import { startServerProcess } from '../test/helpers/processes/server-process';
import { rosterIdNumber, writeRosterXlsx } from './roster-data';
import { percentile, report } from './stats';

const ROWS = 100_000;
const USERS = 20;
/** One `/me` every this many ms, the users taking turns (each user every 2 s: within Telegram's pace). */
const EVERY_MS = 100;
const QUIET_MS = 10_000;
const TOKEN = '777000111:AAHbench-zhtj-token-0123456789';
const BRANCHES = [1, 2, 3, 4, 5].map((n) => `共青团基准市第二中学高二（${n}）班团支部`);

/** A database with a school, its branches, an admin and USERS members, each logged in on Telegram. */
async function prepare(databaseUrl: string, dataDir: string): Promise<void> {
  const system = await buildSystem({ databaseUrl, dataDir, scryptLog2N: 10 }, createLogger('silent'));
  const { organisations, accounts, admins, bindings } = system.services;
  const city = await organisations.create({ parentId: null, fullName: '共青团基准市委员会', shortName: '基准市团委', kind: 'leading_body' });
  const school = await organisations.create({ parentId: city.id, fullName: '共青团基准市第二中学委员会', shortName: '基准二中团委', kind: 'committee' });
  const branches = [];
  for (const fullName of BRANCHES) branches.push(await organisations.create({ parentId: school.id, fullName, shortName: fullName.slice(-8), kind: 'branch' }));
  const admin = await accounts.create({ idNumber: rosterIdNumber(0, '110105'), name: '基准管理', role: 'cadre', branchId: null, password: 'Admin2024x' });
  await admins.add(school.id, admin.id);
  await bindings.bind('telegram', '9100000', '9100000', admin.id);
  for (let i = 1; i <= USERS; i++) {
    const member = await accounts.create({
      idNumber: rosterIdNumber(i, '110106'),
      name: '基准团员',
      role: 'member',
      branchId: branches[i % 5].id,
      password: 'Member2024x',
    });
    await bindings.bind('telegram', String(9100000 + i), String(9100000 + i), member.id);
  }
  await system.close();
}

/** The process's resident memory in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Sends `/me` from the users in turn, one every EVERY_MS, until `until` resolves; returns the
 * latencies (ms) of the answers.
 */
async function load(emu: BotApiEmulator, until: Promise<unknown>): Promise<number[]> {
  const pending = new Map<number, number>();
  const latencies: number[] = [];
  const stop = emu.onCall((call: ApiCall) => {
    if (call.method !== 'sendMessage' || !String(call.params.text).includes('我的信息')) return;
    const chat = Number(call.params.chat_id);
    const sent = pending.get(chat);
    if (sent !== undefined) {
      latencies.push(performance.now() - sent);
      pending.delete(chat);
    }
  });
  let done = false;
  void until.then(() => (done = true));
  for (let i = 0; !done; i++) {
    const user = 9100001 + (i % USERS);
    if (!pending.has(user)) {
      pending.set(user, performance.now());
      emu.sendText({ id: user }, '/me');
    }
    await new Promise((r) => setTimeout(r, EVERY_MS));
  }
  while (pending.size) await new Promise((r) => setTimeout(r, 20)); // the last answers
  stop();
  return latencies;
}

const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { n: xs.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
};

/** Prints other users' /me latency while an import runs, beside the same with nothing running, and the server's memory. */
export async function benchResponsiveness(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-live-'));
  const emu = await BotApiEmulator.start({ token: TOKEN });
  try {
    const databaseUrl = `sqlite:${path.join(dir, 'bench.sqlite')}`;
    await prepare(databaseUrl, dir);
    const file = (await writeRosterXlsx({ rows: ROWS, branches: BRANCHES, inMemory: true }))!;
    const server = await startServerProcess({
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      LOCAL_CHAT: 'off',
      LOG_LEVEL: 'info',
    });
    try {
      const pid = server.child.pid!;
      await load(emu, new Promise((r) => setTimeout(r, 3000))); // warm up
      const idle: number[] = [];
      for (let i = 0; i < 20; i++) {
        idle.push(rssMb(pid));
        await new Promise((r) => setTimeout(r, 50));
      }
      const quiet = summary(await load(emu, new Promise((r) => setTimeout(r, QUIET_MS))));

      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
      const started = performance.now();
      const finished = new Promise<void>((resolve) => {
        const stop = emu.onCall((call) => {
          if (call.method === 'sendMessage' && Number(call.params.chat_id) === 9100000 && /导入成功|导入未完成|无法导入/.test(String(call.params.text))) {
            stop();
            resolve();
          }
        });
      });
      emu.sendDocument({ id: 9100000 }, { content: file, fileName: `团员名单-${ROWS}.xlsx` });
      const during = summary(await load(emu, finished));
      const importMs = performance.now() - started;
      clearInterval(sampler);
      const idleMb = summary(idle).p50;
      const outcome = emu.messagesTo(9100000).find((t) => /导入成功|导入未完成|无法导入/.test(t)) ?? '';
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      console.log(
        `\n## Other users while an import runs: a server process, /me from ${USERS} users every ${EVERY_MS} ms through the Bot API emulator; a ${ROWS.toLocaleString()}-row .xlsx sent in chat`,
      );
      console.log(`quiet (nothing else running, ${quiet.n} answers): p50 ${ms(quiet.p50)}, p99 ${ms(quiet.p99)}, max ${ms(quiet.max)}`);
      console.log(
        `during the import (${(importMs / 1000).toFixed(1)} s from sending the file to the outcome, ${during.n} answers): p50 ${ms(during.p50)}, p99 ${ms(during.p99)}, max ${ms(during.max)}`,
      );
      console.log(`outcome: ${outcome.slice(0, 40)}…`);
      console.log(`server RSS: idle ${idleMb.toFixed(0)} MB, peak during the import ${peak.toFixed(0)} MB (+${(peak - idleMb).toFixed(0)} MB)`);
      const ratio = during.p99 / quiet.p99;
      report(
        "other users' /me p99 during an import",
        `${ms(during.p99)} (${ratio.toFixed(1)}× quiet)`,
        ratio <= 5 && during.p99 < 300,
        'target within 5× the quiet p99 and under 300 ms',
      );
      report('server memory during a chat-driven import', `+${(peak - idleMb).toFixed(0)} MB over idle`, peak - idleMb < 300, 'target under 300 MB above idle');
    } finally {
      await server.stop();
    }
  } finally {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
