/**
 * Through the Bot API emulator: a restarted Bot API server hands out update ids used before,
 * and every new message under them is answered; a real redelivery (the same chat and message,
 * or the same button press) is answered once, and each skip is logged.
 */
import { TelegramChannel } from '../../bot/telegram';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { capturingLogger } from '../helpers/logs';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

let sys: TestSystem;
let lines: string[] = [];
/** Telegram's per-chat pace (a message a second) is not what is tested: 200 answers to one chat. */
const pace = { perChatBurst: 1e9, perChatPerSecond: 1e9, overallBurst: 1e9, overallPerSecond: 1e9 };

beforeAll(async () => {
  const captured = capturingLogger('info');
  lines = captured.lines;
  sys = await createTestSystem({ logger: captured.logger });
});
afterAll(() => sys.close());

/** A Bot API server and the bot polling it; `stop` ends both (as when the Bot API server restarts). */
async function botApi(): Promise<{ emu: BotApiEmulator; stop(): Promise<void> }> {
  const emu = await BotApiEmulator.start();
  const bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger: sys.logger, retryBaseMs: 50, pace });
  bot.startPolling();
  return {
    emu,
    async stop() {
      await bot.stop();
      await emu.stop();
    },
  };
}

const answers = (emu: BotApiEmulator, chatId: number, fragment: string) =>
  emu.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chatId && c.result !== undefined && String(c.params.text).includes(fragment));
/** Waits until `emu` has answered `chatId` exactly `n` times with `fragment`, saying how many it has. */
const answered = (emu: BotApiEmulator, chatId: number, fragment: string, n: number, what: string) =>
  until(() => answers(emu, chatId, fragment).length === n, {
    what,
    timeoutMs: 20_000,
    seen: () => `${answers(emu, chatId, fragment).length} answers with "${fragment}"`,
  });
const skips = () => lines.filter((l) => l.includes('redelivered update skipped')).map((l) => JSON.parse(l) as { channel: string; update: string });

describe('update ids that repeat', () => {
  it('a restarted Bot API server starts its update ids again: 200 /help from a new user are all answered', async () => {
    const before = await botApi();
    const known = { id: 8_300_001 };
    for (let i = 0; i < 200; i++) before.emu.sendText(known, '/help');
    await answered(before.emu, known.id, '可用的命令', 200, 'the first 200 answers');
    expect(
      before.emu.calls.find(
        (c) => c.method === 'getUpdates' && Array.isArray(c.result) && (c.result as Array<{ update_id: number }>).some((u) => u.update_id === 200),
      ),
    ).toBeDefined();
    await before.stop();

    const after = await botApi(); // ids from 1 again
    try {
      const fresh = { id: 8_300_002 };
      const sent = Array.from({ length: 200 }, () => after.emu.sendText(fresh, '/help') as { update_id: number });
      expect(sent.map((u) => u.update_id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      await answered(after.emu, fresh.id, '可用的命令', 200, 'all 200 answered');
      expect(skips()).toHaveLength(0);
    } finally {
      await after.stop();
    }
  }, 60_000);

  it('a message or a button press delivered again under another update id is answered once, and the skip is logged', async () => {
    const api = await botApi();
    const { emu } = api;
    try {
      const user = { id: 8_300_003 };
      const message = emu.sendText(user, '/help') as { message: Record<string, unknown> };
      await answered(emu, user.id, '可用的命令', 1, 'the answer');
      emu.pushUpdate({ message: structuredClone(message.message) }); // the same message, a new update id
      emu.sendText(user, '/start');
      await answered(emu, user.id, '智慧团建', 1, 'the next message answered');

      const press = emu.pressButton(user, '/login') as { callback_query: Record<string, unknown> };
      await answered(emu, user.id, '请输入您的身份证号码', 1, 'the press answered');
      emu.pushUpdate({ callback_query: structuredClone(press.callback_query) });
      emu.sendText(user, '/cancel');
      await answered(emu, user.id, '已取消', 1, 'the next message answered');

      expect(answers(emu, user.id, '可用的命令')).toHaveLength(1);
      expect(answers(emu, user.id, '请输入您的身份证号码')).toHaveLength(1);
      const mid = (message.message as { message_id: number }).message_id;
      expect(skips()).toEqual([
        expect.objectContaining({ channel: 'telegram', update: `msg:${user.id}:${mid}` }),
        expect.objectContaining({ channel: 'telegram', update: `cb:${String(press.callback_query.id)}` }),
      ]);
    } finally {
      await api.stop();
    }
  });
});
