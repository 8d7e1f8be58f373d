/**
 * Bursts of concurrent updates through the webhook of a real server process (Bot API
 * emulator, real HTTP): 60, 200 and 1,000 at once (over Telegram's 100 webhook connections) of wrong passwords to one
 * account, wrong registration codes, sign-in codes, /me, and all of them mixed. None may
 * wedge the database: every update is answered, nothing fails as a bug, and right after each
 * burst a normal user's /me is answered and /health says ok. (60 wrong passwords at once
 * used to leave SQLite's write lock held for good: writes of several connections of one
 * process waited on SQLite's lock on every thread of the pool, the holder among them.)
 */
import { registerAdminFlow } from '../../flows/applications/register-admin';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { addCrowd } from '../helpers/fixtures/crowd';
import { buildOrg, buildPerson } from '../helpers/fixtures/factories';
import { makeAdmin } from '../helpers/fixtures/admin-fixtures';
import { startServerProcess, type ServerProcess } from '../helpers/processes/server-process';
import { createTestSystem, type TestSystem } from '../helpers/system';

jest.setTimeout(240_000);

const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';
const SECRET = 'burst-webhook-secret';
const SIZES = [60, 200, 1000] as const;
const BIGGEST = SIZES[SIZES.length - 1];
const TELEGRAM_MAX_CONNECTIONS = 100;

let sys: TestSystem;
let emu: BotApiEmulator;
let server: ServerProcess;
let webhook: string;
let chatSeq = 9_000_000;

/** Everyone a burst needs, made through the services before the server starts. */
let world: {
  account: { idNumber: string };
  normal: { id: number; name: string };
  orgId: number;
  members: Array<{ personId: number; chatId: number }>;
  signinCode: string;
};

beforeAll(async () => {
  sys = await createTestSystem();
  const org = await buildOrg(sys, { kind: 'branch' });
  const { person: adminPerson } = await makeAdmin(sys, org.id, '签到管理');
  const account = await buildPerson(sys, { name: '被猜密码', password: 'Right2024x' });
  const normal = await buildPerson(sys, { name: '普通团员', branchId: org.id, password: 'Normal2024x' });
  const crowd = await addCrowd(sys, { branchId: org.id, count: BIGGEST, firstChat: 8_000_000 });
  const start = new Date(Date.now() + 10 * 60_000); // sign-in opens 15 minutes before: open now
  const activity = await sys.services.activities.create(adminPerson.id, {
    orgId: org.id,
    kind: 'league_day',
    title: '突发签到',
    startsAt: start,
    endsAt: new Date(start.getTime() + 3600_000),
  });
  await sys.services.activityParticipants.add(
    adminPerson.id,
    activity.id,
    crowd.map((c) => c.personId),
  );
  world = {
    account,
    normal: { id: 7_777_777, name: '普通团员' },
    orgId: org.id,
    members: crowd.map((c) => ({ personId: c.personId, chatId: c.chatId! })),
    signinCode: activity.signinCode,
  };

  emu = await BotApiEmulator.start({ token: TOKEN });
  server = await startServerProcess({
    DATABASE_URL: sys.databaseUrl,
    DATA_DIR: sys.dataDir,
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emu.apiRoot,
    WEBHOOK_URL: 'https://bot.example.org/telegram/webhook',
    WEBHOOK_SECRET: SECRET,
    // Passwords cost real work (2^14), replies are not paced: the burst reaches the database at once.
    SCRYPT_LOG2N: '14',
    TELEGRAM_RATE: '100000',
    QUIET_HOURS: 'off',
  });
  webhook = `http://127.0.0.1:${server.port}/telegram/webhook`;
  await emu.waitForCall('setWebhook', () => true, 20_000);
  // The normal user logs in before any burst.
  for (const text of ['/login', normal.idNumber, 'Normal2024x']) await post({ id: world.normal.id }, text);
  expect(emu.messagesTo(world.normal.id).join('\n')).toContain('登录成功');
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  await sys?.close();
});

/** Posts one text update to the webhook as Telegram would; resolves once the server answered the request. */
async function post(user: { id: number }, text: string): Promise<void> {
  const { status } = await emu.postWebhookUpdate(webhook, emu.textUpdate(user, text), SECRET);
  expect(status).toBe(200);
}

/**
 * Posts all at once as Telegram does: over at most 100 connections at a time (setWebhook's
 * max_connections tops out at 100), each taking the next update as soon as it is answered.
 * A thousand sockets at once is no client's way and, on a loaded machine, overflows the listen queue.
 */
async function all(updates: Array<[{ id: number }, string]>): Promise<void> {
  let next = 0;
  const connection = async () => {
    while (next < updates.length) {
      const [user, text] = updates[next++];
      await post(user, text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TELEGRAM_MAX_CONNECTIONS, updates.length) }, connection));
}

/** The last bot message in a chat. */
const lastTo = (chatId: number) => emu.messagesTo(chatId).at(-1) ?? '';

/** What the bot sent a chat from message `from` on (reminders may come between: they are pushed meanwhile). */
const sentSince = (chatId: number, from: number) => emu.messagesTo(chatId).slice(from).join('\n');

/** Fresh chats, never used before. */
const freshChats = (n: number) => Array.from({ length: n }, () => ({ id: ++chatSeq }));

/** After a burst: nothing failed as a bug, a normal user's /me is answered in time, /health is ok. */
async function expectStillServing(): Promise<number> {
  const bugs = server.lines.filter((l) => l.includes('"flow failed"') || l.includes('"request failed"') || l.includes('past its deadline'));
  expect(bugs).toEqual([]);
  const before = emu.messagesTo(world.normal.id).length;
  const t0 = Date.now();
  await post({ id: world.normal.id }, '/me');
  const meMs = Date.now() - t0;
  expect(emu.messagesTo(world.normal.id).length).toBe(before + 1);
  expect(lastTo(world.normal.id)).toContain(world.normal.name);
  const health = (await (await fetch(`http://127.0.0.1:${server.port}/health`)).json()) as { status: string; database: string };
  expect(health).toMatchObject({ status: 'ok', database: 'up' });
  // The figure: answered within 2 s right after the burst (a wedged server never answers).
  expect(meMs).toBeLessThan(2000);
  return meMs;
}

/** The kinds of update a burst is made of: each makes its chats ready, then gives the update sent at once and checks its answer. */
const KINDS = {
  /** R2: many chats each at the password step for the same account, then all wrong passwords at once. */
  async logins(n: number) {
    const chats = freshChats(n);
    await all(chats.map((c) => [c, '/login']));
    await all(chats.map((c) => [c, world.account.idNumber]));
    return { updates: chats.map((c, i): [{ id: number }, string] => [c, `Wrong-${i}-pw`]), answer: /不正确|次数过多|次数较多/ };
  },
  /** R6: many chats at the registration code step of one organisation (state saved through the service), then all wrong codes at once. */
  async 'registration codes'(n: number) {
    const chats = freshChats(n);
    for (const c of chats) {
      await sys.services.conversations.save('telegram', String(c.id), {
        flow: registerAdminFlow.name,
        version: registerAdminFlow.version,
        state: { step: 'code', orgId: world.orgId },
      });
    }
    return { updates: chats.map((c, i): [{ id: number }, string] => [c, `Bad${String(i).padStart(5, '0')}`]), answer: /注册码/ };
  },
  /** R19: logged-in participants send the activity's code (every other one a wrong code) at once. */
  async 'sign-in codes'(n: number) {
    const chats = world.members.slice(0, n).map((m) => ({ id: m.chatId }));
    const wrong = world.signinCode === '000000' ? '111111' : '000000';
    return {
      updates: chats.map((c, i): [{ id: number }, string] => [c, i % 2 ? wrong : world.signinCode]),
      answer: /签到成功|您已签到|签到码|不正确|稍后再试/,
    };
  },
  /** Logged-in members all ask /me at once. */
  async '/me'(n: number) {
    // From the other end of the crowd, so that a mixed burst asks it of other chats than the sign-ins.
    const chats = world.members.slice(-n).map((m) => ({ id: m.chatId }));
    return { updates: chats.map((c): [{ id: number }, string] => [c, '/me']), answer: /【我的信息】[\s\S]*群众测试/ };
  },
};

type Kind = keyof typeof KINDS;

async function burst(n: number, kinds: Kind[]) {
  const parts = await Promise.all(kinds.map((k, i) => KINDS[k](Math.floor(n / kinds.length) + (i < n % kinds.length ? 1 : 0))));
  const updates = parts.flatMap((p) => p.updates);
  expect(updates).toHaveLength(n);
  const before = new Map(updates.map(([chat]) => [chat.id, emu.messagesTo(chat.id).length]));
  await all(updates);
  for (const p of parts) for (const [chat] of p.updates) expect(sentSince(chat.id, before.get(chat.id)!)).toMatch(p.answer);
  return expectStillServing();
}

describe('bursts of concurrent updates through the webhook (never wedged)', () => {
  for (const n of SIZES) {
    it(`R2 ${n} wrong passwords to one account at once: each answered, then a normal /me and /health ok`, () => burst(n, ['logins']));
    it(`R6 ${n} wrong registration codes at once: each answered, then a normal /me and /health ok`, () => burst(n, ['registration codes']));
    it(`R19 ${n} sign-in codes at once: each answered, then a normal /me and /health ok`, () => burst(n, ['sign-in codes']));
    it(`${n} /me at once: each answered, then a normal /me and /health ok`, () => burst(n, ['/me']));
    it(`${n} mixed updates at once (passwords, codes, sign-ins, /me): each answered, then a normal /me and /health ok`, () =>
      burst(n, ['logins', 'registration codes', 'sign-in codes', '/me']));
  }
});
