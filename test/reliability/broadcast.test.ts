/**
 * R21 broadcasts (announcements) through the Telegram adapter, counted at the Bot API
 * emulator: a 429 storm (everything delivered later, once, the sender paused for retry_after),
 * a chat that blocked the bot (403), quiet hours on a fake clock (pushed messages wait, direct
 * notices and replies do not), replies going first while 2,000 messages go out, and a sending
 * process killed with -9 half-way and restarted. Assertions are on order and counts, not time.
 */
import type { Pacer } from '../../bot/pacer';
import { TelegramChannel } from '../../bot/telegram';
import { OutboxMessage } from '../../models';
import { outboxSenderJob } from '../../server/jobs/outbox-sender';
import { Scheduler } from '../../server/jobs/scheduler';
import { announcementTopic } from '../../server/services/messaging/announcements';
import { messageNotice } from '../../server/services/messaging/notices';
import { createServices } from '../../server/services';
import { DEFAULT_SEND_CONCURRENCY } from '../../server/services/messaging/outbox';
import { parseQuietHours } from '../../server/services/messaging/quiet-hours';
import type { System } from '../../server/system';
import { buildTree, makeAdmin } from '../helpers/fixtures/admin-fixtures';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { addCrowd } from '../helpers/fixtures/crowd';
import { startServerProcess } from '../helpers/processes/server-process';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';
const FAST = { perChatBurst: 100, perChatPerSecond: 100, overallBurst: 50, overallPerSecond: 500 };

let sys: TestSystem;
let emu: BotApiEmulator;
let t: Awaited<ReturnType<typeof buildTree>>;
let adminId: number;
const channels: TelegramChannel[] = [];

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start({ token: TOKEN });
  t = await buildTree(sys, '广');
  adminId = (await makeAdmin(sys, t.school.id, '广管')).person.id;
});
afterAll(async () => {
  for (const c of channels) await c.stop();
  await emu.stop();
  await sys.close();
});
beforeEach(() => {
  sys.clock.now = new Date();
});
afterEach(() => {
  emu.limitOverall(null);
});

function channel(system: System, pace = FAST): TelegramChannel {
  const c = new TelegramChannel({ token: TOKEN, apiRoot: emu.apiRoot, runner: system.runner, logger: system.logger, pace, retryBaseMs: 50 });
  channels.push(c);
  return c;
}

/** An announcement to a new branch of `count` people, each logged in on Telegram (chats from `firstChat`), queued. */
async function broadcast(tag: string, count: number, firstChat: number): Promise<{ id: number; chats: number[] }> {
  const branch = await sys.services.organisations.create({
    parentId: t.school.id,
    fullName: `共青团广播${tag}班团支部`,
    shortName: `广播${tag}班`,
    kind: 'branch',
  });
  const crowd = await addCrowd(sys, { branchId: branch.id, count, firstChat });
  const a = await sys.services.announcements.create(adminId, { orgId: branch.id, audience: 'all', orgKind: null, text: `广播通知 ${tag}` });
  while (await sys.services.announcements.enqueueNext());
  return { id: a.id, chats: crowd.map((p) => p.chatId!) };
}

/** Successful deliveries to each chat (of messages containing `fragment`). */
function deliveries(chats: number[], fragment: string): Map<number, number> {
  const counts = new Map(chats.map((c) => [c, 0]));
  for (const call of emu.callsOf('sendMessage')) {
    const chat = Number(call.params.chat_id);
    if (counts.has(chat) && call.result !== undefined && String(call.params.text).includes(fragment)) counts.set(chat, counts.get(chat)! + 1);
  }
  return counts;
}

describe('R21 broadcasts through the Telegram adapter', () => {
  it('R21 a 429 storm: every message delivered later, once, none failed; the sender pauses for retry_after instead of hammering', async () => {
    const { id, chats } = await broadcast('风暴', 300, 7_600_000);
    const bot = channel(sys);
    const scheduler = new Scheduler(sys, [outboxSenderJob({ telegram: bot.deliver })], 'Asia/Shanghai');
    const refusedBefore = emu.refusals.length;
    emu.startStorm(2500, 1);
    await until(
      async () => {
        await scheduler.runNow('outbox-sender');
        return [...deliveries(chats, '广播通知 风暴').values()].every((n) => n >= 1);
      },
      { what: 'every message after the storm', timeoutMs: 60_000 },
    );
    const refusals = emu.refusals.slice(refusedBefore).filter((r) => r.code === 429);
    expect(refusals.length).toBeGreaterThan(0); // the storm happened
    // Paused for each retry_after: at most the sends in flight are refused per second of storm.
    expect(refusals.length).toBeLessThanOrEqual(DEFAULT_SEND_CONCURRENCY * 4);
    // retry_after respected: after the first refusal, only sends already in flight arrive within the second it asked for.
    const first = refusals[0].at;
    const within = emu.callsOf('sendMessage').filter((c) => c.at > first && c.at < first + 950 && chats.includes(Number(c.params.chat_id)));
    expect(within.length).toBeLessThanOrEqual(DEFAULT_SEND_CONCURRENCY);
    expect([...deliveries(chats, '广播通知 风暴').values()].filter((n) => n !== 1)).toEqual([]);
    const rows = await OutboxMessage.findAll({ where: { topic: announcementTopic(id) } });
    expect(rows.map((r) => [r.status, r.attempts]).filter(([s, a]) => s !== 'sent' || a !== 1)).toEqual([]);
  }, 90_000);

  it('R21 a chat that blocked the bot (403) is counted blocked, tried once, and skipped by the next broadcast', async () => {
    const { id, chats } = await broadcast('屏蔽', 5, 7_610_000);
    emu.block(chats[2]);
    const bot = channel(sys);
    const run = await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'blocked-broadcast' });
    expect(run).toMatchObject({ sent: 4, blocked: 1, failed: 0 });
    expect((await sys.services.announcements.progress(adminId, id)).counts).toMatchObject({ sent: 4, blocked: 1, pending: 0, failed: 0 });
    const again = await sys.services.announcements.create(adminId, { orgId: t.school.id, audience: 'all', orgKind: null, text: '第二条广播' });
    while (await sys.services.announcements.enqueueNext());
    await until(async () => (await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'blocked-broadcast', limit: 1000 })).claimed === 0, {
      what: 'the second broadcast',
      timeoutMs: 60_000,
    });
    expect(emu.refusals.filter((r) => r.chatId === chats[2] && r.code === 403)).toHaveLength(1);
    expect((await sys.services.announcements.progress(adminId, again.id)).counts.blocked).toBeGreaterThanOrEqual(1);
    emu.unblock(chats[2]);
  }, 60_000);

  it('R21 quiet hours (fake clock, 22-8 Beijing): an announcement waits until 08:00; a direct notice and a reply go at once', async () => {
    const { outbox: quiet } = createServices({ ...sys.services.deps, quietHours: parseQuietHours('22-8', 'Asia/Shanghai') });
    sys.clock.now = new Date('2026-12-05T23:00:00+08:00');
    const { chats } = await broadcast('夜间', 3, 7_620_000);
    const personId = (await OutboxMessage.findOne({ where: { chatId: String(chats[0]) } }))!.personId!;
    await quiet.toPerson(personId, messageNotice({ text: '您的申请已通过（直接通知）' }));
    const bot = channel(sys);
    const night = await quiet.deliverDue({ telegram: bot.deliver }, { owner: 'night' });
    expect(night).toMatchObject({ claimed: 1, sent: 1 });
    expect(emu.messagesTo(chats[0]).join()).toContain('直接通知');
    expect(emu.messagesTo(chats[0]).join()).not.toContain('广播通知 夜间');
    await bot.handleUpdate(emu.textUpdate({ id: chats[1] }, '/help') as never); // a reply is never held
    expect(emu.messagesTo(chats[1]).join()).toContain('可用的命令');
    expect(await quiet.takeForChat('telegram', String(chats[2]))).toEqual([]); // the local chat's inbox holds it too

    sys.clock.now = new Date('2026-12-06T07:59:00+08:00');
    expect((await quiet.deliverDue({ telegram: bot.deliver }, { owner: 'night' })).claimed).toBe(0);
    sys.clock.now = new Date('2026-12-06T08:00:00+08:00');
    expect(await quiet.deliverDue({ telegram: bot.deliver }, { owner: 'night' })).toMatchObject({ claimed: 3, sent: 3 });
    for (const c of chats) expect(emu.messagesTo(c).join()).toContain('广播通知 夜间');
  });

  it('R21 replies go first while a 2,000-message broadcast goes out: each waits for no queued broadcast message', async () => {
    const { chats } = await broadcast('畅聊', 2000, 7_700_000);
    const inBroadcast = new Set(chats);
    // 100 a second overall, 32 sends side by side: the broadcast has sends waiting for the rate.
    const bot = channel(sys, { perChatBurst: 100, perChatPerSecond: 100, overallBurst: 1, overallPerSecond: 100 });
    const pacer = (bot as unknown as { pacer: Pacer }).pacer;
    let bulkSent = 0;
    const replies: Array<{ asked: number; queuedBulk: number; sent?: number }> = [];
    const talker = 7_799_999;
    const stop = emu.onCall((call) => {
      if (call.method !== 'sendMessage') return;
      if (inBroadcast.has(Number(call.params.chat_id))) bulkSent++;
      else if (Number(call.params.chat_id) === talker) replies.find((r) => r.sent === undefined)!.sent = bulkSent;
    });
    const slot = pacer.slot.bind(pacer);
    pacer.slot = (chatId: string) => {
      if (chatId === String(talker)) replies.push({ asked: bulkSent, queuedBulk: pacer.queued().bulk });
      return slot(chatId);
    };
    const sending = (async () => {
      for (;;) {
        const run = await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'busy', limit: 200, concurrency: 32 });
        if (run.claimed === 0) return;
      }
    })();
    try {
      await until(() => bulkSent >= 200, { what: 'the broadcast under way', timeoutMs: 60_000, seen: () => `${bulkSent} sent` });
      for (const command of ['/help', '/start', '/help', '/start', '/help']) await bot.handleUpdate(emu.textUpdate({ id: talker }, command) as never);
      expect(replies).toHaveLength(5);
      // There was a queue to jump: broadcast sends were waiting for the rate when the replies asked …
      expect(replies.filter((r) => r.queuedBulk >= 4).length).toBeGreaterThanOrEqual(2);
      // … and each reply jumped it: only sends already on their way went out before it, not the queue.
      for (const r of replies) expect(r.sent! - r.asked).toBeLessThanOrEqual(4);
      expect(bulkSent).toBeLessThan(1800); // the replies did not wait for the broadcast
    } finally {
      await sending;
      stop();
    }
    expect([...deliveries(chats, '广播通知 畅聊').values()].filter((n) => n !== 1)).toEqual([]);
  }, 120_000);

  it(`R21 kill -9 of the sending process half-way through a broadcast, then a restart: none lost, at most ${DEFAULT_SEND_CONCURRENCY} (the sends in flight) twice`, async () => {
    const branch = await sys.services.organisations.create({
      parentId: t.school.id,
      fullName: '共青团广播重启班团支部',
      shortName: '广播重启班',
      kind: 'branch',
    });
    const crowd = await addCrowd(sys, { branchId: branch.id, count: 1000, firstChat: 7_800_000 });
    const chats = crowd.map((p) => p.chatId!);
    // Queued in the background by the server process itself (its announcements job), then sent.
    await sys.services.announcements.create(adminId, { orgId: branch.id, audience: 'all', orgKind: null, text: '广播通知 重启' });
    const env = {
      DATABASE_URL: sys.databaseUrl,
      DATA_DIR: sys.dataDir,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emu.apiRoot,
      LOCAL_CHAT: 'off',
      QUIET_HOURS: 'off',
      TELEGRAM_RATE: '200',
    };
    const delivered = () => [...deliveries(chats, '广播通知 重启').values()].filter((n) => n > 0).length;
    const first = await startServerProcess(env);
    await until(() => delivered() >= 300, { what: 'the first 300 deliveries', timeoutMs: 60_000, seen: () => `${delivered()} delivered` });
    await first.kill();
    const atKill = delivered();
    expect(atKill).toBeLessThan(chats.length);
    const second = await startServerProcess(env);
    try {
      await until(() => delivered() === chats.length, {
        what: 'every message after the restart',
        timeoutMs: 90_000,
        seen: () => `${delivered()} of ${chats.length} delivered`,
      });
    } finally {
      await second.stop();
    }
    const counts = [...deliveries(chats, '广播通知 重启').values()];
    const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    console.log(
      `kill -9 broadcast: ${chats.length} messages, ${atKill} delivered before the kill, 0 lost, ${duplicates} delivered twice (bound ${DEFAULT_SEND_CONCURRENCY})`,
    );
    expect(counts.filter((n) => n === 0)).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(DEFAULT_SEND_CONCURRENCY);
  }, 180_000);
});
