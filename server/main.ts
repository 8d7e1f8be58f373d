import './threadpool';
import 'dotenv/config';
import http from 'node:http';
import { LOCAL_CHANNEL, LocalChannel } from '../bot/local/local-channel';
import { webChatRouter } from '../bot/local/web';
import { telegramPace } from '../bot/pacer';
import { TelegramChannel } from '../bot/telegram';
import { seed } from '../seeds';
import { Config, ConfigError, isLoopback, loadConfig } from './config';
import { createApp, type HealthReport } from './http/app';
import { apiRouter } from './http/api';
import { webAppRouter } from './http/web-app';
import { webhookRouter } from './http/webhook';
import { runWhenQueued, scheduledJobs } from './jobs';
import type { ProgressSink } from './jobs/background-jobs';
import { Scheduler, withSchedules } from './jobs/scheduler';
import { stopWorkers, WORKER_STOP_DEADLINE_MS } from './jobs/worker-thread';
import { createLogger } from './logger';
import { buildSystem } from './system';
import type { Deliverer } from './services/messaging/outbox';

/** A running process: server, bot and scheduler over one database. */
export interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Listens on the configured port first, so a port in use is said before anything else happens. */
function listen(config: Config): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' }).end('{"status":"starting"}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          new ConfigError(
            `PORT ${config.port} is in use on ${config.host}: another program (or another copy of this server) listens there. Stop it, or set PORT to a free port.`,
          ),
        );
      else if (err.code === 'EADDRNOTAVAIL')
        reject(new ConfigError(`HOST ${config.host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for all.`));
      else if (err.code === 'EACCES')
        reject(new ConfigError(`PORT ${config.port} needs privileges this process does not have: set PORT to a port above 1023.`));
      else reject(err);
    });
    server.listen(config.port, config.host, () => resolve(server));
  });
}

/** The composition root: config → port → database → services → bot → http → jobs. */
export async function start(config: Config): Promise<Running> {
  process.env.TZ = config.timezone;
  const logger = createLogger(config.logLevel);
  const server = await listen(config);
  const port = (server.address() as { port: number }).port;
  const system = await buildSystem(config, logger);
  system.metrics.withProcessMetrics();
  if (await seed(system.services, { demo: config.seedDemo }))
    logger.info('seeded an empty database with the organisation tree%s', config.seedDemo ? ' and demo data' : '');

  const routers = [];
  const deliverers: Record<string, Deliverer> = {};
  // The local chat shows a job's progress and sign-in counts when it polls: nothing to send.
  const progressSinks: Record<string, ProgressSink> = { [LOCAL_CHANNEL]: { show: async () => null } };
  let telegram: TelegramChannel | undefined;
  if (config.botToken) {
    telegram = new TelegramChannel({
      token: config.botToken,
      apiRoot: config.telegramApiRoot,
      runner: system.runner,
      logger,
      pace: telegramPace(config.telegramRate),
      webAppUrl: config.webAppUrl,
      localAppUrl: `http://localhost:${port}/app/`,
    });
    deliverers.telegram = telegram.deliver;
    progressSinks.telegram = { show: telegram.showProgress };
    if (config.webhookUrl) {
      const path = new URL(config.webhookUrl).pathname;
      routers.push(webhookRouter({ path, secret: config.webhookSecret!, handleUpdate: (u) => telegram!.handleUpdate(u) }));
    }
  }
  if (config.localChat) routers.push(webChatRouter(new LocalChannel(system.runner, system.services)));
  // The web app's API (Telegram Mini App and phone browser): served always; sessions need a login.
  routers.push(
    apiRouter({ services: system.services, botToken: config.botToken, miniAppMaxAgeMs: config.miniAppMaxAgeMs, ticketKey: system.secret('download-tickets') }),
    webAppRouter(),
  );

  const health = async (): Promise<HealthReport> => {
    const writable = await system.db.canWrite(new Date());
    const bot = telegram?.state;
    const botOk = !bot || bot.state === 'running';
    return {
      ok: writable,
      body: { status: writable ? (botOk ? 'ok' : 'degraded') : 'down', database: writable ? 'up' : 'down', ...(bot ? { telegram: bot } : {}) },
    };
  };
  const app = createApp({
    logger,
    health,
    metrics: () => system.metrics.text(),
    cookieKeys: [system.secret('cookies').toString('base64')],
    trustProxy: config.trustProxy,
    routers,
  });
  server.removeAllListeners('request');
  server.on('request', app.callback());

  const jobs = withSchedules(scheduledJobs({ deliverers, progressSinks, outboxConcurrency: config.outboxConcurrency }), config.schedules);
  const scheduler = new Scheduler(system, jobs, config.timezone);
  scheduler.start();
  runWhenQueued(system.services, scheduler);

  if (telegram) {
    if (config.webhookUrl) telegram.startWebhook(config.webhookUrl, config.webhookSecret!);
    else telegram.startPolling();
    logger.info('Telegram bot starting (%s) via %s', config.webhookUrl ? 'webhook' : 'long polling', config.telegramApiRoot);
    if (!config.webAppUrl)
      logger.info("no WEBAPP_URL set: the bot's menu button and /app do not open the web app (it is at http://localhost:%d/app/ here)", port);
  }
  logger.info('server listening on http://%s:%d', config.host.includes(':') ? `[${config.host}]` : config.host, port);
  if (config.localChat) {
    logger.info('local chat: open http://localhost:%d/chat in a browser, or run `npm run chat` in another terminal', port);
    if (!isLoopback(config.host)) logger.warn('LOCAL_CHAT=on while HOST is %s: anyone who reaches this port can use the web chat', config.host);
  }
  if (!config.botToken) logger.info('no BOT_TOKEN set: Telegram is off. Demo logins are listed in README.md');

  return {
    port,
    async stop() {
      await telegram?.stop();
      // Worker threads are asked to stop and waited for, never terminated: one torn down inside
      // a database statement takes the process down. A job stopped this way goes back to the queue.
      const [, left] = await Promise.all([scheduler.stop(), stopWorkers()]);
      if (left) logger.error({ workers: left }, 'worker threads still running at shutdown (asked to stop %d s ago)', WORKER_STOP_DEADLINE_MS / 1000);
      await new Promise((resolve) => server.close(resolve));
      await system.close();
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
      console.error(err instanceof ConfigError ? err.message : ['Start failed:', err].join(' '));
      process.exit(1);
    },
  );
}
