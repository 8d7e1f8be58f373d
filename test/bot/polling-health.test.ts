/**
 * The bot's state (what `/health` reports as `telegram`) follows polling within seconds: a 409
 * or an unreachable Bot API shows within seconds of it starting, and `running` within seconds
 * of it ending, however long it lasted (no minute-long wait, no 50-second long poll holding the
 * failure). The real waits: no shortened retry.
 */
import { TelegramChannel } from '../../bot/telegram';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { createTestSystem, TestSystem } from '../helpers/system';
import { sleep, until } from '../helpers/wait';

let sys: TestSystem;
let emu: BotApiEmulator;
let bot: TelegramChannel;

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start();
  bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger: sys.logger });
});
afterAll(async () => {
  await bot.stop();
  await emu.stop();
  await sys.close();
});

/** Resolves once the state is `state`; fails after `timeoutMs` (generous: a loaded machine). */
const stateBecomes = (state: string, timeoutMs = 5000) =>
  until(() => bot.state.state === state, { what: `the state ${state}`, timeoutMs, intervalMs: 50, seen: () => bot.state });

/** Ends the long poll waiting now: an update the bot takes no action on (a poll's result). */
const wakePoll = () => emu.pushUpdate({ poll: { id: `p${Date.now()}`, question: '?', options: [], total_voter_count: 0, is_closed: true } });

describe('/health follows polling', () => {
  it('running within seconds of starting, with no update to wait for', async () => {
    bot.startPolling();
    await stateBecomes('running');
  });

  it('a 409 that lasts: conflict within seconds, running again within seconds of it ending', async () => {
    emu.setConflict(true);
    wakePoll();
    await stateBecomes('conflict');
    await sleep(7000); // long enough for doubling waits to have grown past it
    emu.setConflict(false);
    await stateBecomes('running');
    const user = { id: 8_400_001 };
    emu.sendText(user, '/start');
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === user.id, 5000);
  }, 30_000);

  it('an unreachable Bot API that lasts: unreachable within seconds, running again within seconds of it answering', async () => {
    emu.setOffline(true);
    wakePoll();
    await stateBecomes('unreachable');
    await sleep(7000); // the fault lasts: long enough for doubling waits to have grown past it
    emu.setOffline(false);
    await stateBecomes('running');
    const user = { id: 8_400_002 };
    emu.sendText(user, '/start');
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === user.id, 5000);
  }, 30_000);
});
