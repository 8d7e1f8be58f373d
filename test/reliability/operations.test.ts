/**
 * Operations: a port in use is said in one line before the database is touched, and /health
 * reports the bot's state when Telegram cannot be reached (the server itself stays up).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { startServerProcess } from '../helpers/processes/server-process';
import { ROOT } from '../helpers/root';
import { until } from '../helpers/wait';

const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';

describe('operations', () => {
  it('PORT in use: one line naming it, and no database made', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-port-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => void (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => void (out += c.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(1);
      const lines = out.trim().split('\n');
      expect(lines).toEqual([expect.stringContaining(`PORT ${port} is in use`)]);
      expect(fs.existsSync(path.join(dir, 'zhtj.sqlite'))).toBe(false); // before migrating
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('/health says the bot cannot reach Telegram (degraded, still 200), and running once it can', async () => {
    const emu = await BotApiEmulator.start({ token: TOKEN });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-health-'));
    emu.setOffline(true);
    const server = await startServerProcess({ DATA_DIR: dir, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, LOCAL_CHAT: 'off' });
    const health = async () => (await fetch(`http://127.0.0.1:${server.port}/health`)).json() as Promise<{ status: string; telegram: { state: string } }>;
    try {
      await server.waitForLog('Telegram Bot API unreachable');
      expect(await health()).toMatchObject({ status: 'degraded', database: 'up', telegram: { mode: 'polling', state: 'unreachable' } });
      emu.setOffline(false);
      await until(async () => (await health()).telegram.state === 'running', { what: 'polling to recover', timeoutMs: 90_000, intervalMs: 100, seen: health });
      expect(await health()).toMatchObject({ status: 'ok', telegram: { state: 'running' } });
    } finally {
      await server.stop();
      await emu.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
