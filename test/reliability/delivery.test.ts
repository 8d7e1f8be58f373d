/**
 * R21 delivery once, counted at the Bot API emulator: two senders at once with no fault, a
 * 429 storm, direct replies under a per-chat limit, a chat that blocked the bot, and a
 * sending process killed with -9 and restarted.
 */
import { TelegramChannel } from '../../bot/telegram';
import { OutboxMessage } from '../../models';
import { outboxSenderJob } from '../../server/jobs/outbox-sender';
import { Scheduler } from '../../server/jobs/scheduler';
import { DEFAULT_SEND_CONCURRENCY } from '../../server/services/messaging/outbox';
import type { System } from '../../server/system';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { buildPerson } from '../helpers/fixtures/factories';
import { startServerProcess } from '../helpers/processes/server-process';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';
const FAST = { perChatBurst: 100, perChatPerSecond: 100, overallBurst: 200, overallPerSecond: 200 };

let sys: TestSystem;
let emu: BotApiEmulator;
const channels: TelegramChannel[] = [];

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start({ token: TOKEN });
});
afterAll(async () => {
  for (const c of channels) await c.stop();
  await emu.stop();
  await sys.close();
});
beforeEach(() => {
  sys.clock.now = new Date(); // real time: server processes started here share this database
});
afterEach(() => {
  emu.limitPerChat(null);
});

function channel(system: System, pace = FAST): TelegramChannel {
  const c = new TelegramChannel({ token: TOKEN, apiRoot: emu.apiRoot, runner: system.runner, logger: system.logger, pace, retryBaseMs: 50 });
  channels.push(c);
  return c;
}

/** Queues `perChat` numbered messages to each of `chats` chats (Telegram chat ids from `firstChat`). */
async function queue(tag: string, chats: number, perChat: number, firstChat: number): Promise<string[]> {
  const texts: string[] = [];
  for (let c = 0; c < chats; c++) {
    for (let m = 0; m < perChat; m++) {
      const text = `${tag}-${c}-${m}`;
      texts.push(text);
      await sys.services.outbox.enqueue('telegram', String(firstChat + c), { text });
    }
  }
  return texts;
}

/** How often the emulator delivered each text (only successful sends count). */
function deliveries(texts: string[]): Map<string, number> {
  const counts = new Map(texts.map((t) => [t, 0]));
  for (const call of emu.callsOf('sendMessage')) {
    const text = String(call.params.text);
    if (counts.has(text) && call.result !== undefined) counts.set(text, counts.get(text)! + 1);
  }
  return counts;
}

describe('R21 outbox delivery, counted at the Bot API', () => {
  it('R21 no fault, two senders at once (two processes on one database): 500 messages to 50 chats, each delivered once, in order per chat', async () => {
    const texts = await queue('pair', 50, 10, 7_100_000);
    const other = await sys.reopen();
    const senders = [
      { system: sys as System, bot: channel(sys), owner: 'sender-a' },
      { system: other, bot: channel(other), owner: 'sender-b' },
    ];
    // Both drain at the same moment, batch after batch, as two scheduler runs would.
    await Promise.all(
      senders.map(async ({ system, bot, owner }) => {
        for (;;) {
          const run = await system.services.outbox.deliverDue({ telegram: bot.deliver }, { owner, limit: 20 });
          if (run.claimed === 0) return;
        }
      }),
    );
    const counts = deliveries(texts);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    for (let c = 0; c < 50; c++) {
      const order = emu
        .callsOf('sendMessage')
        .filter((x) => Number(x.params.chat_id) === 7_100_000 + c)
        .map((x) => String(x.params.text));
      expect(order).toEqual(texts.filter((t) => t.startsWith(`pair-${c}-`)));
    }
  });

  it('R21 a 429 storm: every message delivered once and in order, none failed, no attempt counted for a 429', async () => {
    emu.limitPerChat({ max: 3, windowMs: 400, retryAfterS: 1 });
    const refusedBefore = emu.refusals.length;
    const texts = await queue('storm', 2, 12, 7_200_000);
    const bot = channel(sys);
    const scheduler = new Scheduler(sys, [outboxSenderJob({ telegram: bot.deliver })], 'Asia/Shanghai');
    await until(
      async () => {
        await scheduler.runNow('outbox-sender');
        return [...deliveries(texts).values()].every((n) => n >= 1);
      },
      { what: 'every stormed message', timeoutMs: 60_000 },
    );
    expect(emu.refusals.length - refusedBefore).toBeGreaterThan(0); // the storm happened
    expect([...deliveries(texts).values()].every((n) => n === 1)).toBe(true);
    const rows = await OutboxMessage.findAll({ where: { chatId: ['7200000', '7200001'] } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ['sent', 1]));
    const order = emu
      .callsOf('sendMessage')
      .filter((x) => Number(x.params.chat_id) === 7_200_000 && x.result !== undefined)
      .map((x) => String(x.params.text));
    expect(order).toEqual(texts.filter((t) => t.startsWith('storm-0-')));
  }, 90_000);

  it('R21 direct replies to three quick commands under a per-chat limit all arrive (429 waited out)', async () => {
    emu.limitPerChat({ max: 1, windowMs: 1000, retryAfterS: 1 });
    const bot = channel(sys);
    bot.startPolling();
    const user = { id: 7_300_000 };
    emu.sendText(user, '/start');
    emu.sendText(user, '/help');
    emu.sendText(user, '/start');
    await until(() => emu.sentMessages(user.id).length === 3, { what: 'three replies', timeoutMs: 20_000, seen: () => emu.messagesTo(user.id) });
    expect(emu.messagesTo(user.id).filter((t) => t.includes('智慧团建')).length).toBe(2);
    expect(emu.messagesTo(user.id).some((t) => t.includes('可用的命令'))).toBe(true);
    expect(emu.refusals.filter((r) => r.chatId === user.id && r.code === 429).length).toBeGreaterThan(0);
    await bot.stop();
  }, 30_000);

  it('R21 a chat that blocked the bot (403) gets nothing more, without retries, until the person writes again', async () => {
    const { person } = await buildPerson(sys);
    const chatId = 7_400_000;
    await sys.services.bindings.bind('telegram', String(chatId), String(chatId), person.id);
    emu.block(chatId);
    for (const text of ['通知一', '通知二', '通知三']) await sys.services.outbox.toPerson(person.id, { text });
    const bot = channel(sys);
    const run = await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'blocked-test' });
    expect(run).toMatchObject({ sent: 0, blocked: 3, failed: 0 });
    expect(emu.refusals.filter((r) => r.chatId === chatId && r.code === 403)).toHaveLength(1); // the other two were not even tried
    sys.clock.advance(3600_000);
    expect((await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'blocked-test' })).claimed).toBe(0);

    // The person unblocks the bot and writes: the chat gets messages again.
    emu.unblock(chatId);
    await bot.handleUpdate(emu.textUpdate({ id: chatId }, '/start') as never);
    await sys.services.outbox.toPerson(person.id, { text: '通知四' });
    expect((await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'blocked-test' })).sent).toBe(1);
    expect(emu.messagesTo(chatId)).toContain('通知四');
  });

  it(`R21 kill -9 of the sending process, then a restart: none lost, at most ${DEFAULT_SEND_CONCURRENCY} (the sends in flight) twice`, async () => {
    const texts = await queue('crash', 40, 5, 7_500_000);
    const env = { DATABASE_URL: sys.databaseUrl, DATA_DIR: sys.dataDir, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, LOCAL_CHAT: 'off' };
    const first = await startServerProcess(env);
    await until(() => [...deliveries(texts).values()].filter((n) => n > 0).length >= 60, {
      what: 'the first 60 deliveries',
      timeoutMs: 30_000,
      seen: () => `${[...deliveries(texts).values()].filter((n) => n > 0).length} delivered`,
    });
    await first.kill();
    const atKill = [...deliveries(texts).values()].filter((n) => n > 0).length;
    expect(atKill).toBeLessThan(texts.length);
    const second = await startServerProcess(env);
    try {
      await until(() => [...deliveries(texts).values()].every((n) => n > 0), {
        what: 'every message after the restart',
        timeoutMs: 60_000,
        seen: () => `${[...deliveries(texts).values()].filter((n) => n === 0).length} of ${texts.length} not delivered`,
      });
    } finally {
      await second.stop();
    }
    const counts = [...deliveries(texts).values()];
    const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    console.log(
      `kill -9 delivery: ${texts.length} messages, ${atKill} delivered before the kill, 0 lost, ${duplicates} delivered twice (bound ${DEFAULT_SEND_CONCURRENCY})`,
    );
    expect(counts.filter((n) => n === 0)).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(DEFAULT_SEND_CONCURRENCY);
  }, 120_000);
});
