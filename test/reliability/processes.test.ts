/**
 * Two server processes on one PostgreSQL database, in webhook mode, behave as one: they
 * migrate a fresh database together, handle each update once, keep one conversation
 * consistent under concurrent updates, run each scheduled job once per schedule and send each
 * outbox row once. (SQLite serves one process; this runs when TEST_DATABASE_URL is PostgreSQL.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { makeIdNumber } from '../helpers/fixtures/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes/server-process';
import { until } from '../helpers/wait';

const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';
const SECRET = 'two-processes-secret-0123456789';
const server = process.env.TEST_DATABASE_URL;
const onPostgres = !!server?.startsWith('postgres');
const describeOnPostgres = onPostgres ? describe : describe.skip;
if (!onPostgres) {
  test('two processes on one database: runs on PostgreSQL only (SQLite serves one process)', () => {
    expect(onPostgres).toBe(false);
  });
}

let emu: BotApiEmulator;
let procs: ServerProcess[] = [];
let databaseUrl = '';
let dataDir = '';
let dropDatabase = async () => undefined as void;
let db: Client;

const webhook = (p: ServerProcess) => `http://127.0.0.1:${p.port}/telegram/webhook`;
const repliesTo = (chatId: number) =>
  emu
    .callsOf('sendMessage')
    .filter((c) => Number(c.params.chat_id) === chatId && c.result !== undefined)
    .map((c) => String(c.params.text));

/** A metric's value summed over both processes. */
async function metricSum(name: string, labels: Record<string, string>): Promise<number> {
  let sum = 0;
  for (const p of procs) {
    const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(' ').pop());
    }
  }
  return sum;
}

describeOnPostgres('two server processes on one PostgreSQL database (webhook mode)', () => {
  beforeAll(async () => {
    emu = await BotApiEmulator.start({ token: TOKEN });
    const name = `zhtj_two_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-two-'));
    dropDatabase = async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
    // Both start at once on a database nobody migrated: one migrates, the other waits for it.
    const env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      LOCAL_CHAT: 'off',
      WEBHOOK_URL: 'https://bot.example.org/telegram/webhook',
      WEBHOOK_SECRET: SECRET,
      SEED_DEMO: 'on',
    };
    fs.writeFileSync(path.join(dataDir, 'id-key'), crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
    procs = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) await p.stop();
    await db?.end();
    await emu?.stop();
    await dropDatabase();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('both migrated one fresh database together and are up', async () => {
    for (const p of procs) expect((await fetch(`http://127.0.0.1:${p.port}/health`)).status).toBe(200);
    const { rows } = await db.query('SELECT COUNT(*)::int AS n FROM "SequelizeMeta"');
    expect(rows[0].n).toBeGreaterThan(5);
    const orgs = await db.query('SELECT COUNT(*)::int AS n FROM organisations WHERE parent_id IS NULL');
    expect(orgs.rows[0].n).toBe(1); // seeded once
  });

  it('each update is handled once, sent to both at once', async () => {
    for (let i = 0; i < 10; i++) {
      const sent = emu.textUpdate({ id: 7_700_000 + i }, '/start');
      sent.message.message_id = 1; // a redelivery carries the same message: fixed before the copies are made
      const update = { ...sent, update_id: 990_000 + i }; // one update, sent twice
      const answers = await Promise.all(procs.map((p) => emu.postWebhookUpdate(webhook(p), structuredClone(update), SECRET)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
    }
    for (let i = 0; i < 10; i++) expect(repliesTo(7_700_000 + i)).toHaveLength(1);
  });

  it('one conversation stays consistent under concurrent updates sent to both', async () => {
    const users = Array.from({ length: 8 }, (_, i) => ({ id: 7_710_000 + i }));
    for (const user of users) {
      await emu.postWebhookUpdate(webhook(procs[0]), emu.textUpdate(user, '/login'), SECRET);
      // Two valid ID numbers at the same moment, one to each process. Handled one after the
      // other, the second is taken as the password; read at once by both, both would be taken
      // as the ID number and both answered with the password question.
      const first = emu.textUpdate(user, makeIdNumber('19990101'));
      const second = emu.textUpdate(user, makeIdNumber('19990202'));
      await Promise.all([emu.postWebhookUpdate(webhook(procs[0]), first, SECRET), emu.postWebhookUpdate(webhook(procs[1]), second, SECRET)]);
      const replies = repliesTo(user.id);
      expect(replies).toHaveLength(3);
      expect(replies.filter((r) => r.includes('请输入密码')).length).toBe(1);
      expect(replies.filter((r) => r.includes('不正确')).length).toBe(1);
    }
  });

  it('each outbox row is sent once, and each scheduled run happens in one of them', async () => {
    const started = Date.now();
    const runsBefore = await metricSum('zhtj_job_runs_total', { job: 'outbox-sender' });
    const texts: string[] = [];
    for (let i = 0; i < 100; i++) {
      const text = `两进程通知-${i}`;
      texts.push(text);
      await db.query(
        "INSERT INTO outbox_messages (channel, chat_id, payload, status, attempts, available_at, created_at, updated_at) VALUES ('telegram', $1, $2, 'pending', 0, now(), now(), now())",
        [String(7_720_000 + (i % 20)), JSON.stringify({ text })],
      );
    }
    const count = () => emu.callsOf('sendMessage').filter((c) => c.result !== undefined && texts.includes(String(c.params.text))).length;
    await until(() => count() >= 100, { what: 'every row sent', timeoutMs: 60_000, seen: () => `${count()} sent` });
    // Two further sender runs (in either process) after the last send: a row sent twice would be out by then.
    const runs = () => metricSum('zhtj_job_runs_total', { job: 'outbox-sender' });
    const runsAtLastSend = await runs();
    await until(async () => (await runs()) >= runsAtLastSend + 2, {
      what: 'two further outbox-sender runs',
      timeoutMs: 15_000,
      seen: async () => `${(await runs()) - runsAtLastSend} further runs`,
    });
    expect(count()).toBe(100);
    const sent = new Set(
      emu
        .callsOf('sendMessage')
        .filter((c) => c.result !== undefined && texts.includes(String(c.params.text)))
        .map((c) => String(c.params.text)),
    );
    expect(sent.size).toBe(100);
    // The sender runs every 2 s in each process; across both, at most once per tick.
    const ran = (await runs()) - runsBefore;
    const ticks = Math.ceil((Date.now() - started) / 2000) + 1;
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThanOrEqual(ticks);
  }, 90_000);
});
