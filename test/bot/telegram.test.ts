import type { Server } from 'node:http';
import { TelegramChannel } from '../../bot/telegram';
import { createApp } from '../../server/http/app';
import { webhookRouter } from '../../server/http/webhook';
import type { System } from '../../server/system';
import { BotApiEmulator } from '../helpers/bot-api-emulator';
import { buildOrg, buildPerson } from '../helpers/factories';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let emu: BotApiEmulator;
const channels: TelegramChannel[] = [];

function channelFor(system: System): TelegramChannel {
  const ch = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: system.runner, logger: system.logger });
  channels.push(ch);
  return ch;
}

const textTo = (chatId: number, fragment: string) =>
  emu.waitForCall('sendMessage', (c) => c.params.chat_id === chatId && String(c.params.text).includes(fragment));

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start();
});
afterAll(async () => {
  for (const ch of channels) ch.stop();
  await emu.stop();
  await sys.close();
});

describe('Telegram adapter over HTTP (Bot API emulator, long polling)', () => {
  it('R2 R3 /start, /login (password message deleted), forced password change, /me masked, /logout', async () => {
    const branch = await buildOrg(sys, { kind: 'branch', fullName: '共青团测试大学（筹）一班支部委员会' });
    const { idNumber } = await buildPerson(sys, { name: '王小明', branchId: branch.id });
    const bot = channelFor(sys);
    await bot.startPolling();
    const user = { id: 5550001, first_name: '小明' };

    emu.sendText(user, '/start');
    const greeting = await textTo(user.id, '智慧团建');
    expect(JSON.stringify(greeting.params.reply_markup)).toContain('/login');

    emu.pressButton(user, '/login');
    await textTo(user.id, '身份证号码');
    emu.sendText(user, idNumber);
    await textTo(user.id, '请输入密码');
    const pwUpdate = emu.sendText(user, idNumber.slice(-8));
    const deletion = await emu.waitForCall('deleteMessage');
    expect(deletion.params.message_id).toBe((pwUpdate as { message: { message_id: number } }).message.message_id);
    await textTo(user.id, '初始密码');
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
    bot.stop();
  });

  it('a restart in the middle of a conversation loses nothing', async () => {
    const { idNumber } = await buildPerson(sys, { name: '赵六', password: 'Secret2024' });
    const first = channelFor(sys);
    await first.startPolling();
    const user = { id: 5550002 };
    emu.sendText(user, '/login');
    await textTo(user.id, '身份证号码');
    emu.sendText(user, idNumber);
    await textTo(user.id, '请输入密码');
    first.stop();

    const restarted = await sys.reopen();
    const second = channelFor(restarted);
    await second.startPolling();
    emu.sendText(user, 'Secret2024');
    await textTo(user.id, '登录成功');
    second.stop();
  });
});

describe('Telegram webhook through the Koa server', () => {
  let server: Server;
  let url: string;
  const secret = 'test-secret-0123456789';

  beforeAll(async () => {
    const bot = channelFor(sys);
    const app = createApp({ logger: sys.logger, databaseUp: () => sys.db.ping(), routers: [webhookRouter({ path: '/telegram/webhook', secret, handleUpdate: (u) => bot.handleUpdate(u) })] });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/telegram/webhook`;
    bot.bot.botInfo = { id: 777000111, is_bot: true, first_name: '智慧团建', username: 'zhtj_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a missing or wrong secret with 401 and handles nothing', async () => {
    const update = emu.textUpdate({ id: 5550003 }, '/start');
    expect((await emu.postWebhookUpdate(url, update)).status).toBe(401);
    expect((await emu.postWebhookUpdate(url, update, 'wrong-secret-0123456789')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.callsOf('sendMessage').filter((c) => c.params.chat_id === 5550003)).toHaveLength(0);
  });

  it('answers 200 with the right secret, and a retried update is handled once', async () => {
    const update = emu.textUpdate({ id: 5550004 }, '/start');
    expect((await emu.postWebhookUpdate(url, update, secret)).status).toBe(200);
    expect((await emu.postWebhookUpdate(url, update, secret)).status).toBe(200);
    expect(emu.callsOf('sendMessage').filter((c) => c.params.chat_id === 5550004)).toHaveLength(1);
  });

  it('R21 queued notifications are delivered to the bound Telegram chat by the outbox', async () => {
    const { person } = await buildPerson(sys);
    await sys.services.bindings.bind('telegram', '5550005', '5550005', person.id);
    await sys.services.outbox.toPerson(person.id, { text: '通知：请按时参加团日活动' }, { dedupeKey: 'test-notice' });
    await sys.services.outbox.toPerson(person.id, { text: '通知：请按时参加团日活动' }, { dedupeKey: 'test-notice' });
    const bot = channels[channels.length - 1];
    expect(await sys.services.outbox.deliverDue({ telegram: bot.deliver })).toBe(1);
    expect(await sys.services.outbox.deliverDue({ telegram: bot.deliver })).toBe(0);
    expect(emu.callsOf('sendMessage').filter((c) => c.params.chat_id === '5550005' || c.params.chat_id === 5550005)).toHaveLength(1);
  });
});
