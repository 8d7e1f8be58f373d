import type { Server } from 'node:http';
import { LocalChannel } from '../../bot/local/local-channel';
import { webChatRouter } from '../../bot/local/web';
import { TelegramChannel, WEB_APP_MENU_LABEL } from '../../bot/telegram';
import { menuCommands } from '../../flows/engine/menu';
import { createApp } from '../../server/http/app';
import { BotApiEmulator, type ApiCall } from '../helpers/telegram/bot-api-emulator';
import { buildPerson } from '../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../helpers/system';
import { WebChatClient } from '../helpers/browser/web-chat-client';

const WEBAPP_URL = 'https://example.org/app/';
const PASSWORD = 'Member2024x';

let sys: TestSystem;
let emu: BotApiEmulator;

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start();
});
afterAll(async () => {
  await emu.stop();
  await sys.close();
});

/** A channel polling the emulator, stopped after `run` (one at a time: two pollers would conflict). */
async function withBot(opts: { webAppUrl?: string; localAppUrl?: string }, run: (bot: TelegramChannel) => Promise<void>): Promise<void> {
  const bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger: sys.logger, retryBaseMs: 50, ...opts });
  bot.startPolling();
  try {
    await run(bot);
  } finally {
    await bot.stop();
  }
}

const to = (chatId: number, fragment: string) =>
  emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === chatId && String(c.params.text).includes(fragment));
const menuButtonOf = (chatId: number) => emu.waitForCall('setChatMenuButton', (c) => Number(c.params.chat_id) === chatId);
const buttonsOf = (call: ApiCall) =>
  ((call.params.reply_markup as { inline_keyboard?: unknown[][] } | undefined)?.inline_keyboard ?? []).flat() as Array<Record<string, any>>;

async function login(user: { id: number }, idNumber: string): Promise<void> {
  emu.sendText(user, '/login');
  await to(user.id, '身份证号码');
  emu.sendText(user, idNumber);
  await to(user.id, '请输入密码');
  emu.sendText(user, PASSWORD);
  await to(user.id, '登录成功');
}

describe('the web app from Telegram (R22, Bot API emulator)', () => {
  it("with WEBAPP_URL: the login sets the chat's menu button to the Mini App; /logout puts the command list back", async () => {
    const { idNumber } = await buildPerson(sys, { name: '菜单键', password: PASSWORD });
    const user = { id: 6610001, first_name: '菜单键' };
    await withBot({ webAppUrl: WEBAPP_URL }, async () => {
      await login(user, idNumber);
      const set = await menuButtonOf(user.id);
      expect(set.params.menu_button).toEqual({ type: 'web_app', text: WEB_APP_MENU_LABEL, web_app: { url: WEBAPP_URL } });
      // Already logged in: /start sets the menu again, the button with it.
      emu.sendText(user, '/start');
      expect((await menuButtonOf(user.id)).params.menu_button).toMatchObject({ type: 'web_app' });
      emu.sendText(user, '/logout');
      await to(user.id, '已退出');
      expect((await menuButtonOf(user.id)).params.menu_button).toEqual({ type: 'commands' });
    });
  });

  it('/app (in the member and admin menus): a web_app button in a private chat, a url button in a group', async () => {
    expect(menuCommands('member').map((c) => c.command)).toContain('app');
    expect(menuCommands('admin').map((c) => c.command)).toContain('app');
    expect(menuCommands('guest').map((c) => c.command)).not.toContain('app');
    const user = { id: 6610002, first_name: '应用' };
    await withBot({ webAppUrl: WEBAPP_URL }, async () => {
      emu.sendText(user, '/app');
      const reply = await to(user.id, '团务应用');
      expect(buttonsOf(reply)).toEqual([{ text: '打开团务应用', web_app: { url: WEBAPP_URL } }]);
      const group = { id: -100_661_0002, type: 'group', title: '测试群' };
      emu.sendText(user, '/app@zhtj_test_bot', group);
      const inGroup = await to(group.id, '团务应用');
      expect(buttonsOf(inGroup)).toEqual([{ text: '打开团务应用', url: WEBAPP_URL }]);
    });
  });

  it('without WEBAPP_URL: /app says the web app is not configured and where it is in local development; no menu button is set', async () => {
    const { idNumber } = await buildPerson(sys, { name: '无应用', password: PASSWORD });
    const user = { id: 6610003, first_name: '无应用' };
    await withBot({ localAppUrl: 'http://localhost:3000/app/' }, async () => {
      await login(user, idNumber);
      emu.sendText(user, '/app');
      const reply = await to(user.id, 'WEBAPP_URL');
      expect(reply.params.text).toContain('尚未配置团务应用');
      expect(reply.params.text).toContain('http://localhost:3000/app/');
      expect(reply.params.reply_markup).toBeUndefined();
    });
    expect(emu.callsOf('setChatMenuButton').filter((c) => Number(c.params.chat_id) === user.id)).toEqual([]);
  });
});

describe('the web app from the local chat', () => {
  it("the web chat gives /app as its own server's /app/ address, a line of text (no button to press)", async () => {
    const app = createApp({
      logger: sys.logger,
      health: async () => ({ ok: true, body: {} }),
      cookieKeys: ['web-app-test'],
      routers: [webChatRouter(new LocalChannel(sys.runner, sys.services))],
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const chat = new WebChatClient(base);
      const { replies } = await chat.say('/app');
      expect(replies[0].text).toContain(`打开团务应用：${base}/app/`);
      expect(replies[0].choices).toBeUndefined();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("the terminal chat names this machine's server", async () => {
    const local = new LocalChannel(sys.runner, sys.services, { appUrl: 'http://localhost:3000/app/' });
    const out = await local.handle('terminal-web-app', { text: '/app' });
    expect(out.replies[0].text).toContain('打开团务应用：http://localhost:3000/app/');
  });
});
