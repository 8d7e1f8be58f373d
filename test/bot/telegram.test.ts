import type { Server } from 'node:http';
import { TelegramChannel } from '../../bot/telegram';
import { createApp } from '../../server/http/app';
import { webhookRouter } from '../../server/http/webhook';
import type { System } from '../../server/system';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { buildOrg, buildPerson, makeIdNumber } from '../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

let sys: TestSystem;
let emu: BotApiEmulator;
const channels: TelegramChannel[] = [];

function channelFor(system: System, opts: { apiRoot?: string } = {}): TelegramChannel {
  const ch = new TelegramChannel({ token: emu.token, apiRoot: opts.apiRoot ?? emu.apiRoot, runner: system.runner, logger: system.logger, retryBaseMs: 50 });
  channels.push(ch);
  return ch;
}

const textTo = (chatId: number, fragment: string) =>
  emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === chatId && String(c.params.text).includes(fragment));

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start();
});
afterAll(async () => {
  for (const ch of channels) await ch.stop();
  await emu.stop();
  await sys.close();
});

describe('Telegram adapter over HTTP (Bot API emulator, long polling)', () => {
  it('R2 R3 /start, /login (ID number and password messages deleted), forced password change, /me masked, /logout', async () => {
    const branch = await buildOrg(sys, { kind: 'branch', fullName: '共青团测试大学（筹）一班支部委员会' });
    const { idNumber } = await buildPerson(sys, { name: '王小明', branchId: branch.id });
    const bot = channelFor(sys);
    bot.startPolling();
    const user = { id: 5550001, first_name: '小明' };

    emu.sendText(user, '/start');
    const greeting = await textTo(user.id, '智慧团建');
    expect(JSON.stringify(greeting.params.reply_markup)).toContain('/login');

    emu.pressButton(user, '/login');
    await textTo(user.id, '身份证号码');
    const idUpdate = emu.sendText(user, idNumber) as { message: { message_id: number } };
    await textTo(user.id, '请输入密码');
    const pwUpdate = emu.sendText(user, idNumber.slice(-8)) as { message: { message_id: number } };
    await textTo(user.id, '初始密码');
    expect(emu.deletedMessages(user.id)).toEqual(expect.arrayContaining([idUpdate.message.message_id, pwUpdate.message.message_id]));
    emu.sendText(user, 'Better2024x');
    await textTo(user.id, '再输入一次');
    emu.sendText(user, 'Better2024x');
    await textTo(user.id, '密码已修改');
    const menu = await emu.waitForCall('setMyCommands', (c) => (c.params.scope as { type: string })?.type === 'chat');
    expect((menu.params.commands as Array<{ command: string }>).map((c) => c.command)).toContain('me');

    emu.sendText(user, '/me');
    const me = await textTo(user.id, '我的信息');
    expect(me.params.text).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(me.params.text).not.toContain(idNumber);

    emu.sendText(user, '/logout');
    await textTo(user.id, '已退出');
    await emu.waitForCall('deleteMyCommands');
    await bot.stop();
  });

  it('R2 a wrong password asks for the password again, every message with a password is deleted, a sticker is not a try', async () => {
    const { idNumber } = await buildPerson(sys, { name: '贴纸', password: 'Secret2024' });
    const bot = channelFor(sys);
    bot.startPolling();
    const user = { id: 5550008 };
    emu.sendText(user, '/login');
    await textTo(user.id, '身份证号码');
    emu.sendText(user, idNumber);
    await textTo(user.id, '请输入密码');
    const wrong = emu.sendText(user, 'Wrong2024') as { message: { message_id: number } };
    const again = await textTo(user.id, '请重新输入密码');
    expect(JSON.stringify(again.params.reply_markup)).toContain('login:id');
    const { text: _drop, entities: _none, ...bare } = (emu.textUpdate(user, 'x') as { message: Record<string, unknown> }).message;
    emu.pushUpdate({
      message: {
        ...bare,
        sticker: { file_id: 'CAACAgUAAxkBAAI', file_unique_id: 'AgAD', width: 512, height: 512, is_animated: false, is_video: false, type: 'regular' },
      },
    });
    await textTo(user.id, '贴纸、图片等不算输错');
    const right = emu.sendText(user, 'Secret2024') as { message: { message_id: number } };
    await textTo(user.id, '登录成功，贴纸');
    expect(emu.deletedMessages(user.id)).toEqual(expect.arrayContaining([wrong.message.message_id, right.message.message_id]));
    await bot.stop();
  });

  it('R5 a 4,090-character paste as a name is answered (the answer quotes only its start)', async () => {
    const bot = channelFor(sys);
    bot.startPolling();
    const user = { id: 5550009 };
    emu.sendText(user, '/join');
    await textTo(user.id, '身份证号码');
    emu.sendText(user, makeIdNumber('20080301'));
    await textTo(user.id, '姓名');
    emu.sendText(user, '张'.repeat(4090));
    const answer = await textTo(user.id, '不正确');
    expect(String(answer.params.text).length).toBeLessThan(200);
    expect(String(answer.params.text)).toContain('共 4090 个字');
    await bot.stop();
  });

  it('R3 a reset end to end: the admin resets, the old chat is logged out and told, the member logs in with the initial password and must change it', async () => {
    const school = await buildOrg(sys, { kind: 'committee', fullName: '共青团重置测试中学委员会' });
    const branch = await buildOrg(sys, { kind: 'branch', parentId: school.id, fullName: '共青团重置测试中学高一（1）班团支部' });
    const admin = await buildPerson(sys, { name: '管重置', password: 'Admin2024x' });
    await sys.services.admins.add(school.id, admin.person.id);
    const { person, idNumber } = await buildPerson(sys, { name: '忘密码', branchId: branch.id, password: 'Forgot2024x' });
    const bot = channelFor(sys);
    bot.startPolling();
    const adminUser = { id: 5550010 };
    const oldPhone = { id: 5550011 };
    const login = async (user: { id: number }, id: string, password: string, expect: string) => {
      emu.sendText(user, '/login');
      await textTo(user.id, '身份证号码');
      emu.sendText(user, id);
      await textTo(user.id, '请输入密码');
      emu.sendText(user, password);
      return textTo(user.id, expect);
    };
    await login(adminUser, admin.idNumber, 'Admin2024x', '登录成功');
    await login(oldPhone, idNumber, 'Forgot2024x', '登录成功');
    emu.sendText(adminUser, '/reset_password');
    await textTo(adminUser.id, '请输入要重置密码的人');
    emu.sendText(adminUser, '忘密码');
    await textTo(adminUser.id, '请点击要重置密码的人');
    emu.pressButton(adminUser, `reset:${person.id}`);
    await textTo(adminUser.id, '确认重置');
    emu.pressButton(adminUser, 'reset:yes');
    await textTo(adminUser.id, '已把 忘密码');
    await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'reset-test' });
    await textTo(oldPhone.id, '【密码已重置】');
    emu.sendText(oldPhone, '/me');
    await textTo(oldPhone.id, '请先登录');
    const newPhone = { id: 5550012 };
    await login(newPhone, idNumber, idNumber.slice(-8), '初始密码');
    await bot.stop();
  });

  it('a restart in the middle of a conversation loses nothing', async () => {
    const { idNumber } = await buildPerson(sys, { name: '赵六', password: 'Secret2024' });
    const first = channelFor(sys);
    first.startPolling();
    const user = { id: 5550002 };
    emu.sendText(user, '/login');
    await textTo(user.id, '身份证号码');
    emu.sendText(user, idNumber);
    await textTo(user.id, '请输入密码');
    await first.stop();

    const restarted = await sys.reopen();
    const second = channelFor(restarted);
    second.startPolling();
    emu.sendText(user, 'Secret2024');
    await textTo(user.id, '登录成功');
    await second.stop();
  });

  it('R9 two messages of one user in one getUpdates batch reach the form in order (name, then phone)', async () => {
    const bot = channelFor(sys);
    bot.startPolling();
    const user = { id: 5550006 };
    emu.sendText(user, '/join');
    await textTo(user.id, '身份证号码');
    emu.sendText(user, makeIdNumber('20080301'));
    await textTo(user.id, '姓名');
    // Queued in the same tick: the pending long poll returns both in one batch.
    const before = emu.callsOf('getUpdates').length;
    emu.sendText(user, '王小军');
    emu.sendText(user, '13800138307');
    await textTo(user.id, '团支部');
    const texts = emu.messagesTo(user.id);
    expect(texts.some((t) => t.includes('姓名') && t.includes('不正确'))).toBe(false);
    expect(texts.some((t) => t.includes('手机号码') && t.includes('不正确'))).toBe(false);
    const batch = emu
      .callsOf('getUpdates')
      .slice(before)
      .find((c) => Array.isArray(c.result) && (c.result as unknown[]).length === 2);
    expect(batch).toBeDefined();
    await bot.stop();
  });

  it('polling survives a 409 (a second instance) and an unreachable Bot API at start, and says so in its state', async () => {
    const logged: string[] = [];
    const logger = sys.logger.child({});
    const spy = jest.spyOn(logger, 'warn').mockImplementation(((obj: unknown, msg?: string) => void logged.push(String(msg ?? obj))) as never);
    const bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger, retryBaseMs: 20 });
    channels.push(bot);
    emu.setOffline(true);
    bot.startPolling();
    await until(() => bot.state.state === 'unreachable', { what: 'the unreachable state', seen: () => bot.state });
    expect(logged.some((l) => l.includes('unreachable'))).toBe(true);
    emu.setOffline(false);
    emu.setConflict(true);
    await until(() => bot.state.state === 'conflict', { what: 'the conflict state', seen: () => bot.state });
    expect(logged.some((l) => l.includes('409'))).toBe(true);
    emu.setConflict(false);
    await until(() => bot.state.state === 'running', { what: 'polling to run again', seen: () => bot.state });
    const user = { id: 5550007 };
    emu.sendText(user, '/start');
    await textTo(user.id, '智慧团建');
    spy.mockRestore();
    await bot.stop();
    expect(bot.state.state).toBe('stopped');
  });
});

describe('Telegram webhook through the Koa server', () => {
  let server: Server;
  let url: string;
  const secret = 'test-secret-0123456789';

  beforeAll(async () => {
    const bot = channelFor(sys);
    const app = createApp({
      logger: sys.logger,
      health: async () => ({ ok: true, body: {} }),
      routers: [webhookRouter({ path: '/telegram/webhook', secret, handleUpdate: (u) => bot.handleUpdate(u) })],
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/telegram/webhook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const handled = async () => (await sys.metrics.registry.getSingleMetric('zhtj_updates_handled_total')!.get()).values.reduce((n, v) => n + v.value, 0);

  it('refuses a missing or wrong secret with 401 and handles nothing', async () => {
    const before = await handled();
    const update = emu.textUpdate({ id: 5550003 }, '/start');
    expect((await emu.postWebhookUpdate(url, update)).status).toBe(401);
    expect((await emu.postWebhookUpdate(url, update, 'wrong-secret-0123456789')).status).toBe(401);
    // The webhook answers only after handling: had either been handled, the count would have moved.
    expect(await handled()).toBe(before);
    expect(emu.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 5550003)).toHaveLength(0);
  });

  it('answers 200 with the right secret once the update is handled, and a retried update is handled once', async () => {
    const update = emu.textUpdate({ id: 5550004 }, '/start');
    expect((await emu.postWebhookUpdate(url, update, secret)).status).toBe(200);
    expect(emu.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 5550004)).toHaveLength(1);
    expect((await emu.postWebhookUpdate(url, update, secret)).status).toBe(200);
    expect(emu.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 5550004)).toHaveLength(1);
    // Also after a restart, when only the database remembers it.
    await sys.services.updates.flush();
    const restarted = await sys.reopen();
    const again = channelFor(restarted);
    await again.handleUpdate(update as never);
    expect(emu.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 5550004)).toHaveLength(1);
  });

  it('R21 queued notifications are delivered to the bound Telegram chat by the outbox, once', async () => {
    const { person } = await buildPerson(sys);
    await sys.services.bindings.bind('telegram', '5550005', '5550005', person.id);
    await sys.services.outbox.toPerson(person.id, { text: '通知：请按时参加团日活动' }, { dedupeKey: 'test-notice' });
    await sys.services.outbox.toPerson(person.id, { text: '通知：请按时参加团日活动' }, { dedupeKey: 'test-notice' });
    const bot = channels[channels.length - 1];
    expect((await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'test' })).sent).toBe(1);
    expect((await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'test' })).sent).toBe(0);
    expect(emu.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 5550005)).toHaveLength(1);
  });
});
