import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { ChatBinding } from '../../models';
import { demoIdNumber } from '../../seeds';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../seeds/demo';
import { loadConfig } from '../../server/config';
import { start, type Running } from '../../server/main';
import { startServerProcess } from '../helpers/processes/server-process';
import { createTestSystem, TestSystem } from '../helpers/system';
import { WebChatClient } from '../helpers/browser/web-chat-client';
import { ROOT } from '../helpers/root';
import { until } from '../helpers/wait';

const cityAdmin = DEMO_PEOPLE[0]; // 马建国, admin of 共青团银川市委员会

let sys: TestSystem;
let running: Running;
let base: string;

beforeAll(async () => {
  sys = await createTestSystem(); // a fresh database and key; the server seeds the demo data into it
  running = await start(
    loadConfig({ PORT: '0', DATABASE_URL: sys.databaseUrl, DATA_DIR: sys.dataDir, SCRYPT_LOG2N: '10', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
  base = `http://127.0.0.1:${running.port}`;
}, 60_000);
afterAll(async () => {
  await running.stop();
  await sys.close();
});

/** An address of this machine other machines could reach, if it has one. */
function outwardAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

describe('access from the network (the local web chat)', () => {
  it('the server listens on 127.0.0.1 by default: another interface of this machine is refused', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const outward = outwardAddress();
    if (!outward) return console.warn('no non-loopback interface on this machine: only the loopback half of this test ran');
    await expect(fetch(`http://${outward}:${running.port}/health`)).rejects.toThrow();
  });

  it('the web chat is on by default only on loopback; on another interface only when asked for (LOCAL_CHAT=on)', async () => {
    expect(loadConfig({}).localChat).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0' }).localChat).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', LOCAL_CHAT: 'on' }).localChat).toBe(true);
    expect(loadConfig({ LOCAL_CHAT: 'off' }).localChat).toBe(false);
    // A real server process listening on every interface: no web chat there.
    const exposed = await startServerProcess({ HOST: '0.0.0.0', DATABASE_URL: sys.databaseUrl, DATA_DIR: sys.dataDir });
    try {
      expect((await fetch(`http://127.0.0.1:${exposed.port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${exposed.port}/chat`)).status).toBe(404);
      expect(
        (
          await fetch(`http://127.0.0.1:${exposed.port}/chat/api/message`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"text":"/start"}',
          })
        ).status,
      ).toBe(404);
    } finally {
      await exposed.stop();
    }
  });

  it('each browser is its own session (server-issued, HttpOnly, signed): a chosen user, a copied unsigned token or another site get nobody', async () => {
    const admin = new WebChatClient(base);
    await admin.page();
    const cookie = [...admin.cookies.keys()].find((k) => k === 'zhtj_chat')!;
    expect(cookie).toBeDefined();
    const setCookie = (await fetch(`${base}/chat`)).headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/zhtj_chat=.*httponly/i);
    expect(setCookie).toMatch(/samesite=strict/i);
    await admin.say('/login');
    await admin.say(demoIdNumber(cityAdmin));
    expect((await admin.say(DEMO_PASSWORD)).replies[0].text).toContain('登录成功');
    expect((await admin.say('/admin_code')).replies[0].text).toContain('YcTw2024');

    // The old attack: naming the user in the body (even the admin's own local user id). The field is ignored: a new browser is nobody.
    const adminUser = `web-${crypto.createHash('sha256').update(admin.cookies.get('zhtj_chat')!).digest('base64url').slice(0, 24)}`;
    expect(await ChatBinding.count({ where: { channel: 'local', externalUserId: adminUser } })).toBe(1);
    const attacker = new WebChatClient(base);
    for (const user of [adminUser, 'terminal-1', 'web-1', 'local']) {
      const answer = await attacker.send({ user, text: '/admin_code' });
      expect(answer.replies[0].text).toContain('请先登录');
    }
    // The admin's token without its signature, or with a forged one: a fresh session, not the admin's.
    const stolen = new WebChatClient(base);
    stolen.cookies.set('zhtj_chat', admin.cookies.get('zhtj_chat')!);
    expect((await stolen.say('/admin_code')).replies[0].text).toContain('请先登录');
    stolen.cookies.set('zhtj_chat.sig', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await stolen.say('/admin_code')).replies[0].text).toContain('请先登录');

    // Notifications wait in the session's own inbox; nobody else's poll takes them.
    const binding = (await ChatBinding.findOne({
      where: { channel: 'local', personId: (await sys.services.accounts.findByIdNumber(demoIdNumber(cityAdmin)))!.id },
    }))!;
    await sys.services.outbox.enqueue('local', binding.chatId, { text: '只给管理员的通知' });
    expect(await attacker.inbox()).toEqual([]);
    expect(await stolen.inbox()).toEqual([]);
    expect((await admin.inbox()).map((r) => r.text)).toEqual(['只给管理员的通知']);

    // A page of another site cannot post as the admin's browser.
    const forged = await admin.request('/chat/api/message', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: '{"text":"/admin_code"}',
    });
    expect(forged.status).toBe(403);
  });

  it("a terminal chat's login ends when the terminal exits (a /quit, or a signal)", async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: sys.databaseUrl,
      DATA_DIR: sys.dataDir,
      SCRYPT_LOG2N: '10',
      SEED_DEMO: 'on',
    };
    const person = (await sys.services.accounts.findByIdNumber(demoIdNumber(cityAdmin)))!;
    const count = async () =>
      (await ChatBinding.findAll({ where: { channel: 'local', personId: person.id } })).filter((b) => b.externalUserId.startsWith('terminal-')).length;
    for (const ending of ['quit', 'signal'] as const) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bot/local/terminal.ts'), '--as', '1'], {
        cwd: ROOT,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => void (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => void (out += c.toString()));
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      const loggedIn = () => out.includes('已作为 马建国 登录');
      await until(() => loggedIn() || child.exitCode !== null, { what: 'the terminal to log in', timeoutMs: 30_000, intervalMs: 50, seen: () => out });
      if (!loggedIn()) throw new Error(`terminal exited (${child.exitCode}) without logging in:\n${out}`);
      expect(await count()).toBe(1);
      if (ending === 'quit') child.stdin!.end('/quit\n');
      else child.kill('SIGTERM');
      await exited;
      expect(await count()).toBe(0);
    }
  }, 90_000);
});
