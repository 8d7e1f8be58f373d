import { createTestSystem, type TestSystem } from '../../helpers/system';
import { buildPerson } from '../../helpers/fixtures/factories';
import { ApiClient, buildWorld, DAY, OTHER_BOT_TOKEN, startApi, telegramInitData, TEST_BOT_TOKEN } from './helpers';

let sys: TestSystem;
let api: { base: string; close(): Promise<void> };
let w: Awaited<ReturnType<typeof buildWorld>>;

beforeAll(async () => {
  sys = await createTestSystem();
  api = await startApi(sys);
  w = await buildWorld(sys, '认证');
});
afterAll(async () => {
  await api.close();
  await sys.close();
});

const client = () => new ApiClient(api.base);
let tgSeq = 5_000_000;

describe('POST /api/login (R2, R3)', () => {
  it('logs in with ID number and password; the session cookie is HttpOnly, SameSite=Lax, signed, on /api', async () => {
    const c = client();
    const res = await c.post('/api/login', { idNumber: w.member.idNumber, password: w.member.password });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ person: { name: '吴团员' }, via: 'password', mustChangePassword: false });
    expect(res.body.person.idMasked).not.toBe(w.member.idNumber);
    expect(JSON.stringify(res.body)).not.toContain(w.member.idNumber);
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = res.setCookies.find((l) => l.startsWith('zhtj_app='))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect(session).toMatch(/path=\/api/i);
    expect(session).not.toMatch(/secure/i); // plain HTTP here
    expect(res.setCookies.some((l) => l.startsWith('zhtj_app.sig='))).toBe(true);
    expect((await c.get('/api/me')).body.person.name).toBe('吴团员');
  });

  it('sets Secure when the request came over HTTPS through a trusted proxy (TRUST_PROXY), and not from an untrusted header', async () => {
    const trusted = await startApi(sys, { trustProxy: true });
    const viaProxy = await new ApiClient(trusted.base).post(
      '/api/login',
      { idNumber: w.member.idNumber, password: w.member.password },
      { 'x-forwarded-proto': 'https' },
    );
    await trusted.close();
    expect(viaProxy.setCookies.find((l) => l.startsWith('zhtj_app='))).toMatch(/secure/i);
    const untrusted = await client().post('/api/login', { idNumber: w.member.idNumber, password: w.member.password }, { 'x-forwarded-proto': 'https' });
    expect(untrusted.setCookies.find((l) => l.startsWith('zhtj_app='))).not.toMatch(/secure/i);
  });

  it('a forged or unsigned session cookie is no session (401)', async () => {
    const c = client();
    await c.login(w.member.idNumber, w.member.password);
    c.cookies.set('zhtj_app', 'A'.repeat(43));
    expect((await c.get('/api/me')).status).toBe(401);
    const bare = client();
    bare.cookies.set('zhtj_app', c.cookies.get('zhtj_app')!);
    expect((await bare.get('/api/me')).status).toBe(401);
  });

  it('a wrong password is 401 in the one error shape, with a Chinese message', async () => {
    const res = await client().post('/api/login', { idNumber: w.member.idNumber, password: 'Wrong2024x' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'LOGIN_FAILED', message: expect.stringContaining('身份证号码或密码不正确') } });
  });

  it('bad input is a 400 naming the field in Chinese; an invalid ID number says why (R1)', async () => {
    const missing = await client().post('/api/login', { idNumber: w.member.idNumber });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toEqual({ code: 'BAD_REQUEST', message: '请求参数不正确：密码' });
    const invalid = await client().post('/api/login', { idNumber: '123', password: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('ID_INVALID');
  });

  it('the same limits as chat: 5 wrong passwords from a browser, then even the right one waits (429)', async () => {
    const { idNumber } = await buildPerson(sys, { name: '限次数', password: 'Limit2024x' });
    const c = client();
    for (let i = 0; i < 5; i++) expect((await c.post('/api/login', { idNumber, password: `Wrong${i}2024x` })).status).toBe(401);
    const held = await c.post('/api/login', { idNumber, password: 'Limit2024x' });
    expect(held.status).toBe(429);
    expect(held.body.error).toMatchObject({ code: 'LOGIN_LIMITED', message: expect.stringContaining('后再试') });
  });

  it('R3: a first login on the initial password may only read /api/me, change the password and log out', async () => {
    const { person, idNumber } = await buildPerson(sys, { name: '初始密', branchId: w.tree.branchA.id });
    const c = client();
    const res = await c.post('/api/login', { idNumber, password: idNumber.slice(-8) });
    expect(res.body.mustChangePassword).toBe(true);
    expect((await c.get('/api/me')).body.session).toMatchObject({ mustChangePassword: true });
    for (const path of ['/api/me/fees', '/api/me/activities']) {
      const refused = await c.get(path);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    expect((await c.post('/api/signin', { code: '123456' })).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await c.post('/api/me/password', { currentPassword: idNumber.slice(-8), newPassword: idNumber.slice(-8) });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('PASSWORD_WEAK');
    const wrong = await c.post('/api/me/password', { currentPassword: 'nope', newPassword: 'Fresh2024x' });
    expect(wrong.body.error.code).toBe('CURRENT_PASSWORD_WRONG');
    const changed = await c.post('/api/me/password', { currentPassword: idNumber.slice(-8), newPassword: 'Fresh2024x' });
    expect(changed.status).toBe(200);
    expect((await c.get('/api/me/fees')).status).toBe(200);
    expect((await sys.services.accounts.get(person.id))!.mustChangePassword).toBe(false);
  });

  it('a password change ends the other web sessions and chat logins, and keeps this one', async () => {
    const { idNumber } = await buildPerson(sys, { name: '改密码', password: 'Before2024x' });
    const a = client();
    const b = client();
    await a.login(idNumber, 'Before2024x');
    await b.login(idNumber, 'Before2024x');
    const res = await a.post('/api/me/password', { currentPassword: 'Before2024x', newPassword: 'After2024xx' });
    expect(res.body).toMatchObject({ ok: true, endedWebSessions: 1 });
    expect((await a.get('/api/me')).status).toBe(200);
    expect((await b.get('/api/me')).status).toBe(401);
  });

  it('a password change or reset elsewhere (chat, an admin) ends the web session', async () => {
    const { person, idNumber } = await buildPerson(sys, { name: '别处改', branchId: w.tree.branchA.id, password: 'Before2024x' });
    const c = client();
    await c.login(idNumber, 'Before2024x');
    await sys.services.accounts.changePassword(person.id, 'Chat2024xyz');
    expect((await c.get('/api/me')).status).toBe(401);
    await c.login(idNumber, 'Chat2024xyz');
    await sys.services.passwordResets.reset(w.branchAdmin.person.id, person.id);
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('logout ends the session on the server: the old cookie no longer works', async () => {
    const c = client();
    await c.login(w.member.idNumber, w.member.password);
    const kept = c.cookies.get('zhtj_app')!;
    const keptSig = c.cookies.get('zhtj_app.sig')!;
    expect((await c.post('/api/logout')).body).toEqual({ ok: true });
    expect((await c.get('/api/me')).status).toBe(401);
    const replay = client();
    replay.cookies.set('zhtj_app', kept);
    replay.cookies.set('zhtj_app.sig', keptSig);
    expect((await replay.get('/api/me')).status).toBe(401);
  });

  it('a session ends after LOGIN_IDLE_DAYS without use', async () => {
    const c = client();
    await c.login(w.member.idNumber, w.member.password);
    sys.clock.advance(sys.services.deps.loginIdleMs + 60_000);
    try {
      expect((await c.get('/api/me')).status).toBe(401);
    } finally {
      sys.clock.advance(-(sys.services.deps.loginIdleMs + 60_000));
    }
  });
});

describe('CSRF', () => {
  it("a state change without the session token, with a wrong one, or with another session's is refused (403)", async () => {
    const c = client();
    await c.login(w.member.idNumber, w.member.password);
    const other = client();
    await other.login(w.branchAdmin.idNumber, w.branchAdmin.password);
    const body = { answer: 'registered' };
    const path = `/api/activities/${w.activity.id}/response`;
    const token = c.csrf;
    c.csrf = undefined;
    const none = await c.post(path, body);
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('CSRF_REFUSED');
    expect((await c.post(path, body, { 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await c.post(path, body, { 'x-csrf-token': other.csrf! })).status).toBe(403);
    expect((await c.post('/api/logout', {})).status).toBe(403);
    expect((await c.get('/api/me')).status).toBe(200); // reads need no token, and the session is still there
    c.csrf = token;
    expect((await c.post(path, body)).status).toBe(200);
  });

  it("a request from another site's page is refused even with the token, login too", async () => {
    const c = client();
    await c.login(w.member.idNumber, w.member.password);
    const path = `/api/activities/${w.activity.id}/response`;
    const foreign = await c.post(path, { answer: 'declined' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('CSRF_REFUSED');
    expect((await c.post(path, { answer: 'declined' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await c.post(path, { answer: 'declined' }, { origin: api.base })).status).toBe(200);
    const login = await client().post('/api/login', { idNumber: w.member.idNumber, password: w.member.password }, { origin: 'https://evil.example' });
    expect(login.status).toBe(403);
  });
});

describe('POST /api/telegram/session (Mini App initData)', () => {
  async function boundTelegramUser(personId: number): Promise<number> {
    const tgId = tgSeq++;
    await sys.services.bindings.bind('telegram', String(tgId), String(tgId), personId);
    return tgId;
  }
  const user = (id: number) => ({ id, first_name: 'Xiao', last_name: 'Wu', username: 'xiaowu', language_code: 'zh-hans', allows_write_to_pm: true });

  it('initData built exactly as Telegram builds it opens a session of the bound account; later calls use the cookie', async () => {
    const tgId = await boundTelegramUser(w.member.person.id);
    const c = client();
    const initData = telegramInitData(TEST_BOT_TOKEN, {
      user: user(tgId),
      authDate: new Date(sys.clock.now.getTime() - 60_000),
      extra: { chat_type: 'sender', chat_instance: '-1234567890' },
    });
    const res = await c.post('/api/telegram/session', { initData });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ person: { id: w.member.person.id, name: '吴团员' }, via: 'telegram', mustChangePassword: false });
    const me = await c.get('/api/me');
    expect(me.body.session.via).toBe('telegram');
    expect((await c.post(`/api/activities/${w.activity.id}/response`, { answer: 'registered' })).status).toBe(200);
  });

  it.each([
    ['a wrong hash', (d: string) => d.replace(/hash=[0-9a-f]{64}/, `hash=${'0'.repeat(64)}`)],
    [
      'a changed field (another user id)',
      (d: string) => {
        const p = new URLSearchParams(d);
        const u = JSON.parse(p.get('user')!);
        p.set('user', JSON.stringify({ ...u, id: u.id + 1 }));
        return p.toString();
      },
    ],
    [
      'a changed auth_date',
      (d: string) => {
        const p = new URLSearchParams(d);
        p.set('auth_date', String(Number(p.get('auth_date')) + 1));
        return p.toString();
      },
    ],
    ['an added field', (d: string) => `${d}&start_param=admin`],
    ['no hash', (d: string) => d.replace(/&?hash=[0-9a-f]{64}/, '')],
    ['a field given twice', (d: string) => `${d}&auth_date=1`],
  ])('refuses initData with %s (401)', async (_name, forge) => {
    const tgId = await boundTelegramUser(w.member.person.id);
    await boundTelegramUser(w.member.person.id); // the next id is bound too: a changed id must not reach it
    const good = telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: sys.clock.now });
    const res = await client().post('/api/telegram/session', { initData: forge(good) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INIT_DATA_INVALID');
    expect(res.body.error.message).toContain('机器人');
  });

  it("refuses initData signed with another bot's token (401)", async () => {
    const tgId = await boundTelegramUser(w.member.person.id);
    const res = await client().post('/api/telegram/session', { initData: telegramInitData(OTHER_BOT_TOKEN, { user: user(tgId), authDate: sys.clock.now }) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INIT_DATA_INVALID');
  });

  it('refuses a stale auth_date (older than MINIAPP_MAX_AGE_HOURS, default a day), and accepts one just inside it', async () => {
    const tgId = await boundTelegramUser(w.member.person.id);
    const old = telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: new Date(sys.clock.now.getTime() - DAY - 60_000) });
    expect((await client().post('/api/telegram/session', { initData: old })).status).toBe(401);
    const recent = telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: new Date(sys.clock.now.getTime() - DAY + 60_000) });
    expect((await client().post('/api/telegram/session', { initData: recent })).status).toBe(200);
    const short = await startApi(sys, { miniAppMaxAgeMs: 3_600_000 });
    const hourOld = telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: new Date(sys.clock.now.getTime() - 2 * 3_600_000) });
    const refused = await new ApiClient(short.base).post('/api/telegram/session', { initData: hourOld });
    await short.close();
    expect(refused.status).toBe(401);
  });

  it('a Telegram user not logged in to the bot is told to log in there first (401)', async () => {
    const res = await client().post('/api/telegram/session', { initData: telegramInitData(TEST_BOT_TOKEN, { user: user(tgSeq++), authDate: sys.clock.now }) });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'NOT_LOGGED_IN_BOT', message: expect.stringContaining('请先在机器人中发送 /login') });
  });

  it('the Mini App session ends with the bot login it stands on (/logout in the bot)', async () => {
    const tgId = await boundTelegramUser(w.member.person.id);
    const c = client();
    await c.post('/api/telegram/session', { initData: telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: sys.clock.now }) });
    expect((await c.get('/api/me')).status).toBe(200);
    await sys.services.bindings.unbind('telegram', String(tgId));
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('a password change in the Mini App keeps its Telegram chat logged in and ends the others', async () => {
    const { person, idNumber } = await buildPerson(sys, { name: '小程序', password: 'Before2024x' });
    const tgId = await boundTelegramUser(person.id);
    await sys.services.bindings.bind('local', 'web-x', 'web-x', person.id);
    const c = client();
    await c.post('/api/telegram/session', { initData: telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: sys.clock.now }) });
    const res = await c.post('/api/me/password', { currentPassword: 'Before2024x', newPassword: 'After2024xx' });
    expect(res.body).toMatchObject({ ok: true, endedChats: 1 });
    expect((await sys.services.bindings.bindingsOf(person.id)).map((b) => b.channel)).toEqual(['telegram']);
    expect((await c.get('/api/me')).status).toBe(200);
    expect(idNumber).toHaveLength(18);
  });

  it('refuses an auth_date from the future (more than a minute ahead)', async () => {
    const tgId = await boundTelegramUser(w.member.person.id);
    const ahead = telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: new Date(sys.clock.now.getTime() + 5 * 60_000) });
    expect((await client().post('/api/telegram/session', { initData: ahead })).status).toBe(401);
  });

  it('over HTTPS the Mini App cookie is SameSite=None, Secure and Partitioned (Telegram Web shows it in a frame)', async () => {
    const tgId = await boundTelegramUser(w.member.person.id);
    const https = await startApi(sys, { trustProxy: true });
    const res = await new ApiClient(https.base).post(
      '/api/telegram/session',
      { initData: telegramInitData(TEST_BOT_TOKEN, { user: user(tgId), authDate: sys.clock.now }) },
      { 'x-forwarded-proto': 'https' },
    );
    await https.close();
    const cookie = res.setCookies.find((l) => l.startsWith('zhtj_app='))!;
    expect(cookie).toMatch(/samesite=none/i);
    expect(cookie).toMatch(/secure/i);
    expect(cookie).toMatch(/partitioned/i);
    expect(cookie).toMatch(/httponly/i);
  });

  it('answers 404 when no bot token is configured', async () => {
    const off = await startApi(sys, { botToken: null });
    const res = await new ApiClient(off.base).post('/api/telegram/session', { initData: 'a=b' });
    await off.close();
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('TELEGRAM_OFF');
  });
});
