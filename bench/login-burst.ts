/**
 * Never wedged: a real server process in webhook mode (SQLite, the production password cost
 * 2^17) gets 60, 200 and 1,000 wrong passwords to one account at the same moment, each from a
 * chat at the password step. Each burst must be answered whole, and right after it a normal
 * user's `/me` within 2 s with `/health` ok. (Before, 60 at once held SQLite's lock for good.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { BotApiEmulator } from '../test/helpers/telegram/bot-api-emulator';
import { startServerProcess } from '../test/helpers/processes/server-process';
import { rosterIdNumber } from './roster-data';
import { percentile, report } from './stats';

const TOKEN = '777000111:AAHbench-zhtj-token-0123456789';
const SECRET = 'bench-webhook-secret';
const SIZES = [60, 200, 1000];
/** The figure: a normal user's /me right after a burst. */
const ME_FLOOR_MS = 2000;

export async function benchLoginBurst(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-bench-login-'));
  const databaseUrl = `sqlite:${path.join(dataDir, 'zhtj.sqlite')}`;
  const prep = await buildSystem({ databaseUrl, dataDir, scryptLog2N: 17 }, createLogger('silent'));
  const target = rosterIdNumber(1, '110105');
  const normalId = rosterIdNumber(2, '110106');
  await prep.services.accounts.create({ idNumber: target, name: '被猜密码', role: 'member', branchId: null, password: 'Right2024x' });
  await prep.services.accounts.create({ idNumber: normalId, name: '普通团员', role: 'member', branchId: null, password: 'Normal2024x' });
  await prep.close();

  const emu = await BotApiEmulator.start({ token: TOKEN });
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emu.apiRoot,
    SCRYPT_LOG2N: '17',
    WEBHOOK_URL: 'https://bot.example.org/telegram/webhook',
    WEBHOOK_SECRET: SECRET,
    TELEGRAM_RATE: '100000',
    QUIET_HOURS: 'off',
  });
  const webhook = `http://127.0.0.1:${server.port}/telegram/webhook`;
  /** Posts a text update; resolves with the ms until the webhook request was answered (the update handled and replied to). */
  const post = async (chatId: number, text: string) => {
    const t0 = performance.now();
    const { status } = await emu.postWebhookUpdate(webhook, emu.textUpdate({ id: chatId }, text), SECRET);
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    return performance.now() - t0;
  };
  try {
    await emu.waitForCall('setWebhook', () => true, 20_000);
    const normal = 1;
    for (const text of ['/login', normalId, 'Normal2024x']) await post(normal, text);
    let chat = 100;
    for (const n of SIZES) {
      const chats = Array.from({ length: n }, () => ++chat);
      await Promise.all(chats.map((c) => post(c, '/login')));
      await Promise.all(chats.map((c) => post(c, target)));
      const t0 = performance.now();
      const answers = (await Promise.all(chats.map((c, i) => post(c, `Wrong-${i}-pw`)))).sort((a, b) => a - b);
      const burstS = (performance.now() - t0) / 1000;
      const answered = chats.filter((c) => /不正确|次数过多|次数较多/.test(emu.messagesTo(c).at(-1) ?? '')).length;
      const meMs = await post(normal, '/me');
      const health = ((await (await fetch(`http://127.0.0.1:${server.port}/health`)).json()) as { status: string }).status;
      report(
        `${n} wrong passwords at once (webhook, SQLite, 2^17)`,
        `then /me in ${meMs.toFixed(0)} ms, /health ${health}`,
        answered === n && meMs < ME_FLOOR_MS && health === 'ok',
        `floor: /me within ${ME_FLOOR_MS} ms and ok; the burst answered ${answered}/${n} in ${burstS.toFixed(1)} s (p50 ${percentile(answers, 50).toFixed(0)} ms, p99 ${percentile(answers, 99).toFixed(0)} ms)`,
      );
    }
  } finally {
    await server.stop();
    await emu.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
