import type { Server } from 'node:http';
import Router from '@koa/router';
import { LocalChannel } from '../../bot/local/local-channel';
import { webChatRouter } from '../../bot/local/web';
import { openDatabase } from '../../models';
import { createApp } from '../../server/http/app';
import { buildPerson } from '../helpers/factories';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let server: Server;
let base: string;

beforeAll(async () => {
  sys = await createTestSystem();
  const boom = new Router();
  boom.get('/boom', () => {
    throw new Error('secret internal detail');
  });
  const app = createApp({ logger: sys.logger, databaseUp: () => sys.db.ping(), routers: [webChatRouter(new LocalChannel(sys.runner, sys.services)), boom] });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await sys.close();
});

const post = (path: string, body: unknown) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('HTTP', () => {
  it('GET /health reports the database up (200)', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('GET /health answers 503 when the database is unreachable', async () => {
    const db = await openDatabase(sys.databaseUrl, { bindModels: false });
    await db.close();
    const app = createApp({ logger: sys.logger, databaseUp: () => db.ping() });
    const s: Server = await new Promise((resolve) => {
      const x = app.listen(0, '127.0.0.1', () => resolve(x));
    });
    const res = await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/health`);
    await new Promise((r) => s.close(r));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ database: 'down' });
  });

  it('bad requests get JSON errors, never a stack trace', async () => {
    const bad = await post('/chat/api/message', '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('error.code');
    const invalid = await post('/chat/api/message', { user: 'has spaces' });
    expect(invalid.status).toBe(400);
    const crash = await fetch(`${base}/boom`);
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect((await fetch(`${base}/missing`)).status).toBe(404);
  });

  it('the local web chat runs the same flows: login and /me', async () => {
    const { idNumber } = await buildPerson(sys, { name: '网页用户', password: 'Webchat2024' });
    expect((await (await fetch(`${base}/chat`)).text())).toContain('智慧团建');
    await post('/chat/api/message', { user: 'web-1', text: '/login' });
    await post('/chat/api/message', { user: 'web-1', text: idNumber });
    const login: any = await (await post('/chat/api/message', { user: 'web-1', text: 'Webchat2024' })).json();
    expect(login).toMatchObject({ hideInput: true });
    expect(login.replies[0].text).toContain('登录成功');
    const me: any = await (await post('/chat/api/message', { user: 'web-1', choice: '/me' })).json();
    expect(me.replies[0].text).toContain('网页用户');
    expect(me.replies[0].text).not.toContain(idNumber);
  });
});
