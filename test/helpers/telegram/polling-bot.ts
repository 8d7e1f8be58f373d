import { TelegramChannel } from '../../../bot/telegram';
import { BotApiEmulator } from './bot-api-emulator';
import type { TestSystem } from '../system';

/** A Bot API emulator and the bot long-polling it over the test system, as a test file's world. */
export async function startPollingBot(sys: TestSystem): Promise<{ emu: BotApiEmulator; bot: TelegramChannel; stop(): Promise<void> }> {
  const emu = await BotApiEmulator.start();
  const bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger: sys.logger, retryBaseMs: 50 });
  bot.startPolling();
  return {
    emu,
    bot,
    async stop() {
      await bot.stop();
      await emu.stop();
    },
  };
}
