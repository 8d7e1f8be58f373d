import type { Server } from 'node:http';
import Router from '@koa/router';
import { LocalChannel } from '../../bot/local/local-channel';
import { webChatRouter } from '../../bot/local/web';
import { openDatabase } from '../../models';
import { createApp } from '../../server/http/app';
import { buildPerson } from '../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../helpers/system';
import { WebChatClient } from '../helpers/browser/web-chat-client';

let sys: TestSystem;
let server: Server;
let base: string;

beforeAll(async () => {
  sys = await createTestSystem();
  const boom = new Router();
  boom.get('/boom', () => {
    throw new Error('secret internal detail');
  });
  const app = createApp({
    logger: sys.logger,
    health: async () => ({ ok: await sys.db.canWrite(new Date()), body: { status: 'ok', database: 'up' } }),
    metrics: () => sys.metrics.text(),
    cookieKeys: ['test-cookie-key'],
    routers: [webChatRouter(new LocalChannel(sys.runner, sys.services)), boom],
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await sys.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('HTTP', () => {
  it('GET /health reports the database up and writable (200)', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('GET /health answers 503 when the database cannot be written', async () => {
    const db = await openDatabase(sys.databaseUrl, { bindModels: false });
    await db.close();
    const app = createApp({ logger: sys.logger, health: async () => ({ ok: await db.canWrite(new Date()), body: { database: 'down' } }) });
    const s: Server = await new Promise((resolve) => {
      const x = app.listen(0, '127.0.0.1', () => resolve(x));
    });
    const res = await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/health`);
    await new Promise((r) => s.close(r));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ database: 'down' });
  });

  it('GET /metrics answers Prometheus text with the update and outbox figures', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of ['zhtj_updates_handled_total', 'zhtj_outbox_messages', 'zhtj_job_runs_total', 'zhtj_outbox_deliveries_total'])
      expect(text).toContain(name);
    expect(text).toMatch(/zhtj_outbox_messages\{status="pending"\} \d+/);
  });

  it('bad requests get JSON errors, never a stack trace', async () => {
    const bad = await post('/chat/api/message', '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('error.code');
    const invalid = await post('/chat/api/message', { text: 42 });
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
    const web = new WebChatClient(base);
    expect(await web.page()).toContain('智慧团建');
    await web.say('/login');
    await web.say(idNumber);
    const login = await web.say('Webchat2024');
    expect(login).toMatchObject({ hideInput: true });
    expect(login.replies[0].text).toContain('登录成功');
    const me = await web.press('/me');
    expect(me.replies[0].text).toContain('网页用户');
    expect(me.replies[0].text).not.toContain(idNumber);
  });
});
