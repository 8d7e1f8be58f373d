import 'dotenv/config';
import type { Server } from 'node:http';
import { LocalChannel } from '../bot/local/local-channel';
import { webChatRouter } from '../bot/local/web';
import { TelegramChannel } from '../bot/telegram';
import { seed } from '../seeds';
import { Config, ConfigError, loadConfig } from './config';
import { createApp } from './http/app';
import { webhookRouter } from './http/webhook';
import { JOBS } from './jobs';
import { outboxSenderJob } from './jobs/outbox-sender';
import { Scheduler } from './jobs/scheduler';
import { createLogger } from './logger';
import { buildSystem } from './system';
import type { Deliverer } from './services/outbox';

/** A running process: server, bot and scheduler over one database. */
export interface Running {
  port: number;
  stop(): Promise<void>;
}

/** The composition root: config → database → services → bot → http → jobs. */
export async function start(config: Config): Promise<Running> {
  process.env.TZ = config.timezone;
  const logger = createLogger(config.logLevel);
  const system = await buildSystem(config, logger);
  if (await seed(system.services, { demo: config.seedDemo })) logger.info('seeded an empty database with the organisation tree%s', config.seedDemo ? ' and demo data' : '');

  const routers = [];
  const deliverers: Record<string, Deliverer> = {};
  let telegram: TelegramChannel | undefined;
  if (config.botToken) {
    telegram = new TelegramChannel({ token: config.botToken, apiRoot: config.telegramApiRoot, runner: system.runner, logger });
    deliverers.telegram = telegram.deliver;
    if (config.webhookUrl) {
      const path = new URL(config.webhookUrl).pathname;
      routers.push(webhookRouter({ path, secret: config.webhookSecret!, handleUpdate: (u) => telegram!.handleUpdate(u) }));
    }
  }
  if (config.localChat) routers.push(webChatRouter(new LocalChannel(system.runner, system.services)));

  const app = createApp({ logger, databaseUp: () => system.db.ping(), routers });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;

  const scheduler = new Scheduler(system, [outboxSenderJob(deliverers), ...JOBS], config.timezone);
  scheduler.start();

  if (telegram) {
    const mode = config.webhookUrl ? telegram.startWebhook(config.webhookUrl, config.webhookSecret!) : telegram.startPolling();
    await mode.then(
      () => logger.info('Telegram bot started (%s) via %s', config.webhookUrl ? 'webhook' : 'long polling', config.telegramApiRoot),
      (err) => logger.error({ err: err.message }, 'Telegram bot could not start; the local chat still works. Check BOT_TOKEN and TELEGRAM_API_ROOT'),
    );
  }
  logger.info('server listening on http://localhost:%d', port);
  if (config.localChat) {
    logger.info('local chat: open http://localhost:%d/chat in a browser, or run `npm run chat` in another terminal', port);
  }
  if (!config.botToken) logger.info('no BOT_TOKEN set: Telegram is off. Demo logins are listed in README.md');

  return {
    port,
    async stop() {
      telegram?.stop();
      await scheduler.stop();
      await new Promise((resolve) => server.close(resolve));
      await system.db.close();
    },
  };
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  start(config).then(
    (running) => {
      const shutdown = () => running.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err) => {
      console.error('Start failed:', err);
      process.exit(1);
    },
  );
}
