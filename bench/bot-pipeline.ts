import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { Telegraf, Telegram } from 'telegraf';
import { TelegramChannel } from '../bot/telegram';
import { BULK_WRITE_DEADLINE_MS, Person } from '../models';
import { createLogger } from '../server/logger';
import { checkDigit, maskIdNumber } from '../server/lib/id-number';
import { buildSystem } from '../server/system';
import { measure, report } from './stats';

const PEOPLE = 100_000;
const UPDATES = 3000;
const WARMUP = 300;
const ROUNDS = 5;
type Figures = Awaited<ReturnType<typeof measure>>;
const BOT_INFO = {
  id: 1,
  is_bot: true as const,
  first_name: 'bench',
  username: 'bench_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export function meUpdate(updateId: number, userId: number, text = '/me') {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private' as const, first_name: 'u' },
      from: { id: userId, is_bot: false, first_name: 'u' },
      text,
      entities: text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.length }] : [],
    },
  };
}

type Side = { handle(updateId: number): Promise<void>; close(): Promise<void> };
/** The floor, also taking any update (the sign-in burst drives it with its own). */
export type Floor = Side & { handleUpdate(update: object): Promise<void> };

/** The floor: a bare telegraf echo bot reading and writing one session row per update with plain sqlite3. */
export async function floor(dir: string): Promise<Floor> {
  const db = new sqlite3.Database(path.join(dir, 'floor.sqlite'));
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));
  const get = (sql: string, params: unknown[]) => new Promise<unknown>((res, rej) => db.get(sql, params, (e, row) => (e ? rej(e) : res(row))));
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA synchronous = NORMAL');
  await run('CREATE TABLE sessions (key TEXT PRIMARY KEY, data TEXT NOT NULL)');
  const bot = new Telegraf('1:floor', { telegram: { webhookReply: false } });
  bot.botInfo = BOT_INFO;
  bot.on('message', async (ctx) => {
    const key = String(ctx.from.id);
    const row = (await get('SELECT data FROM sessions WHERE key = ?', [key])) as { data: string } | undefined;
    const session = row ? JSON.parse(row.data) : { n: 0 };
    session.n++;
    await ctx.reply('text' in ctx.message ? ctx.message.text : '');
    await run('INSERT INTO sessions (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data', [key, JSON.stringify(session)]);
  });
  return {
    handle: (id) => bot.handleUpdate(meUpdate(id, 42) as never),
    handleUpdate: (update) => bot.handleUpdate(update as never),
    close: () => new Promise((r) => db.close(() => r())),
  };
}

/** Ours: update in → state load → service → reply out → state save, with 100,000 people stored. */
async function pipeline(dir: string): Promise<Side> {
  const logger = createLogger('silent');
  const system = await buildSystem({ databaseUrl: `sqlite:${path.join(dir, 'bench.sqlite')}`, dataDir: dir, scryptLog2N: 10 }, logger, {
    masterKey: crypto.randomBytes(32),
  });
  const { vault } = system.services.deps;
  const branch = await system.services.organisations.create({ parentId: null, fullName: '共青团基准测试支部委员会', shortName: '基准支部', kind: 'branch' });
  const now = new Date();
  for (let start = 0; start < PEOPLE; start += 2000) {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = start; i < Math.min(PEOPLE, start + 2000); i++) {
      const first17 = `640104${1990 + (i % 15)}0101${String(i % 1000).padStart(3, '0')}`.slice(0, 17);
      const id = first17 + checkDigit(first17) + String(i); // unique per row; only the stored form matters here
      rows.push({
        idCipher: vault.encrypt(id),
        idHash: vault.lookupHash(id),
        idMasked: maskIdNumber(id.slice(0, 18)),
        name: `成员${i}`,
        gender: 'M' as const,
        birthDate: '1995-01-01',
        role: 'member' as const,
        branchId: branch.id,
        phone: '13900000000',
        joinedLeagueAt: '2010-05-04',
        passwordHash: null,
        mustChangePassword: false,
        verificationReason: null,
        verifiedAt: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    await system.db.transaction((t) => Person.bulkCreate(rows as never[], { transaction: t }), undefined, { deadlineMs: BULK_WRITE_DEADLINE_MS });
  }
  const person = await Person.findOne({ where: { name: `成员${PEOPLE / 2}` } });
  await system.services.bindings.bind('telegram', '42', '42', person!.id);
  // Telegram's per-chat pace (about one message a second) is not what is measured here.
  const pace = { perChatBurst: 1e9, perChatPerSecond: 1e9, overallBurst: 1e9, overallPerSecond: 1e9 };
  const channel = new TelegramChannel({ token: '1:bench', apiRoot: 'http://127.0.0.1:9', runner: system.runner, logger, pace });
  return { handle: (id) => channel.handleUpdate(meUpdate(id, 42) as never), close: () => system.close() };
}

/** Warms both sides up, then measures them in alternating rounds, so both see the same machine load. */
async function alternate(a: Side, b: Side): Promise<[Figures, Figures]> {
  let id = 1;
  for (let i = 0; i < WARMUP; i++) {
    await a.handle(id);
    await b.handle(id++);
  }
  const rounds: [Figures[], Figures[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, side] of [a, b].entries()) rounds[k].push(await measure(UPDATES / ROUNDS, () => side.handle(id++)));
  }
  return [median(rounds[0]), median(rounds[1])];
}

/** The round with the median throughput. */
function median(figures: Figures[]): Figures {
  return [...figures].sort((x, y) => x.perSecond - y.perSecond)[Math.floor(figures.length / 2)];
}

/** Prints the bot pipeline figure beside its floor, measured in the same run. */
export async function benchBotPipeline(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-'));
  // Replies go nowhere: the Bot API call itself is not what is measured (the trap: a stub on
  // the instance is bypassed, since handleUpdate builds a new Telegram per update).
  const callApi = Telegram.prototype.callApi;
  let replies = 0;
  Telegram.prototype.callApi = (async () => {
    replies++;
    return { message_id: 1, date: 0, chat: { id: 42, type: 'private' }, text: '' };
  }) as never;
  try {
    const sides = [await floor(dir), await pipeline(dir)];
    const [f, ours] = await alternate(sides[0], sides[1]);
    for (const side of sides) await side.close();
    const ratio = ours.perSecond / f.perSecond;
    console.log(
      `\n## Bot pipeline: /me with ${PEOPLE.toLocaleString()} people stored, ${UPDATES} updates each in sequence, ${ROUNDS} alternating rounds, median round (${replies} replies captured)`,
    );
    console.log(
      `floor (bare telegraf echo + one sqlite3 session row): ${f.perSecond.toFixed(0)} updates/s, p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`,
    );
    console.log(
      `ours  (update → state load → service → reply → state save): ${ours.perSecond.toFixed(0)} updates/s, p50 ${ours.p50.toFixed(2)} ms, p99 ${ours.p99.toFixed(2)} ms`,
    );
    report('bot pipeline throughput', `${(ratio * 100).toFixed(0)}% of floor`, ratio >= 0.5, 'target ≥ 50% of the floor');
  } finally {
    Telegram.prototype.callApi = callApi;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
