/**
 * The province bench's figures that need real server processes (`server/main.ts` as `npm start`
 * runs it) on the bench's PostgreSQL database: the outbox sender through the Telegram adapter to
 * the Bot API emulator at a paid broadcast limit (as bench/broadcast.ts measures it), and `GET
 * /api/me` spread over two server processes by members logged in on the web API.
 */
import type pg from 'pg';
import { BotApiEmulator, type ApiCall } from '../test/helpers/telegram/bot-api-emulator';
import { startServerProcess, type ServerProcess } from '../test/helpers/processes/server-process';
import { ME_FLOOR } from './province-own-floors';
import { WebClient } from './soak-web';
import { percentile } from './stats';

const TOKEN = '777000222:AAHbench-zhtj-province-0123456789';
const LIMIT = Number(process.env.PROVINCE_BENCH_LIMIT ?? 1000);
const CONCURRENCY = Number(process.env.PROVINCE_BENCH_CONCURRENCY ?? 4);

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const serverEnv = (env: Record<string, string>, emu: BotApiEmulator) => ({
  ...env,
  BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: emu.apiRoot,
  LOCAL_CHAT: 'off',
  LOG_LEVEL: 'info', // startServerProcess waits for the 'server listening on' line
  TELEGRAM_RATE: String(LIMIT),
  OUTBOX_CONCURRENCY: String(CONCURRENCY),
});

/**
 * The sender: a server process delivers what is queued (up to `max` messages) to the emulator,
 * which answers 429 above LIMIT a second; the rate from the first message to the last.
 */
export async function measureSender(
  env: Record<string, string>,
  opts: { max: number },
): Promise<{ delivered: number; seconds: number; rate: number; refused: number; limit: number }> {
  const emu = await BotApiEmulator.start({ token: TOKEN });
  emu.limitOverall({ perSecond: LIMIT, retryAfterS: 1 });
  let delivered = 0;
  let refused = 0;
  let first = 0;
  let last = 0;
  const stop = emu.onCall((call: ApiCall) => {
    if (call.method !== 'sendMessage') return;
    if (call.result === undefined) {
      refused++;
      return;
    }
    if (delivered >= opts.max) return;
    delivered++;
    first ||= performance.now();
    last = performance.now();
  });
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess(serverEnv(env, emu));
    const done = await until(() => delivered >= opts.max, (opts.max / LIMIT) * 4000 + 60_000);
    if (!done) console.log(`  the sender stalled at ${delivered} delivered; the server's last log lines:\n${server.lines.slice(-8).join('\n')}`);
  } finally {
    await server?.stop();
    stop();
    await emu.stop();
  }
  const seconds = (last - first) / 1000;
  return { delivered, seconds, rate: seconds > 0 ? delivered / seconds : 0, refused, limit: LIMIT };
}

/**
 * `/me`: each member logs in once (the web API's POST /api/login), then `requests` GETs of
 * /api/me, eight at a time, alternating between two server processes; their p50 and p99 beside
 * the same reads by hand through the bare pg driver.
 */
export async function measureMe(
  env: Record<string, string>,
  client: pg.Client,
  users: Array<{ id: number; idNumber: string }>,
  opts: { requests: number; password?: string },
): Promise<{ n: number; p50: number; p99: number; failures: number; floorP99: number }> {
  const emu = await BotApiEmulator.start({ token: TOKEN });
  const servers: ServerProcess[] = [];
  try {
    servers.push(await startServerProcess(serverEnv(env, emu)));
    servers.push(await startServerProcess(serverEnv(env, emu)));
    // A browser per member and server process (logged in on each), used in turn: every other request goes to the other process.
    const clients: WebClient[] = [];
    for (const u of users) {
      for (const server of servers) {
        const c = new WebClient(`http://127.0.0.1:${server.port}`);
        const res = await c.request('POST', '/api/login', { idNumber: u.idNumber, password: opts.password ?? 'Bench2024x' });
        if (res.status !== 200) throw new Error(`login of a bench member failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        clients.push(c);
      }
    }
    const times: number[] = [];
    let failures = 0;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < opts.requests; i = next++) {
        const t0 = performance.now();
        const res = await clients[i % clients.length].request('GET', '/api/me');
        times.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    times.sort((a, b) => a - b);
    const floor: number[] = [];
    for (let i = 0; i < Math.min(opts.requests, 2000); i++) {
      const t0 = performance.now();
      await client.query(ME_FLOOR, [users[i % users.length].id]);
      floor.push(performance.now() - t0);
    }
    floor.sort((a, b) => a - b);
    return { n: times.length, p50: percentile(times, 50), p99: percentile(times, 99), failures, floorP99: percentile(floor, 99) };
  } finally {
    for (const s of servers) await s.stop();
    await emu.stop();
  }
}
