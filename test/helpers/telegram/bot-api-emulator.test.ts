import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Markup, Telegraf } from 'telegraf';
import { BotApiEmulator } from './bot-api-emulator';

const user = { id: 424242, first_name: '小明' };

describe('BotApiEmulator with a real telegraf bot (long polling)', () => {
  let emu: BotApiEmulator;
  let bot: Telegraf;
  let launched: Promise<void>;
  let launchError: unknown;

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    bot = new Telegraf(emu.token, { telegram: { apiRoot: emu.apiRoot, webhookReply: false } });
    bot.start((ctx) => ctx.reply('你好', Markup.inlineKeyboard([Markup.button.callback('A', 'a')])));
    bot.action('a', async (ctx) => {
      await ctx.answerCbQuery('收到');
      await ctx.editMessageText('已选择 A');
    });
    bot.command('password', async (ctx) => {
      await ctx.deleteMessage(); // the user's message holding a password
      await ctx.reply('密码已设置');
    });
    bot.on('document', async (ctx) => {
      const { file_id, file_name } = ctx.message.document;
      const link = await ctx.telegram.getFileLink(file_id);
      const bytes = Buffer.from(await (await fetch(link)).arrayBuffer());
      await ctx.replyWithDocument(
        { source: Buffer.from(bytes.toString('utf8').toUpperCase()), filename: `回执-${file_name}` },
        { caption: '处理完成', reply_markup: Markup.inlineKeyboard([Markup.button.callback('OK', 'ok')]).reply_markup },
      );
    });
    launched = bot.launch().catch((err: unknown) => {
      launchError = err;
    });
    await emu.waitForCall('getUpdates');
  });

  afterAll(async () => {
    bot.stop('test end');
    await launched;
    await emu.stop();
    expect(launchError).toBeUndefined();
  });

  it('answered telegraf launch: getMe then deleteWebhook, then a long poll', () => {
    expect(emu.calls.slice(0, 3).map((c) => c.method)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
    expect(emu.callsOf('getUpdates')[0].params).toMatchObject({ timeout: 50, offset: 0 });
    expect(bot.botInfo).toMatchObject({ id: 777000111, is_bot: true, username: 'zhtj_test_bot', first_name: '智慧团建' });
  });

  it('delivers /start and records the reply with its inline keyboard', async () => {
    const update = emu.sendText(user, '/start');
    expect(update.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const call = await emu.waitForCall('sendMessage');
    expect(call.params).toMatchObject({
      chat_id: user.id,
      text: '你好',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a', hide: false }]] },
    });
    expect(call.result).toMatchObject({
      message_id: update.message.message_id + 1,
      chat: { id: user.id, type: 'private' },
      from: { id: 777000111 },
      text: '你好',
    });
    expect(emu.messagesTo(user.id)).toEqual(['你好']);
  });

  it('presses a button: answerCallbackQuery + editMessageText reflected in messagesTo', async () => {
    const update = emu.pressButton(user, 'a');
    expect(update.callback_query.message.text).toBe('你好');
    const answer = await emu.waitForCall('answerCallbackQuery');
    expect(answer.params).toMatchObject({ callback_query_id: update.callback_query.id, text: '收到' });
    const edit = await emu.waitForCall('editMessageText');
    expect(edit.params).toMatchObject({ chat_id: user.id, message_id: update.callback_query.message.message_id, text: '已选择 A' });
    expect(edit.result).toMatchObject({ text: '已选择 A' });
    expect(emu.messagesTo(user.id)).toEqual(['已选择 A']);
  });

  it('records deletion of a user message', async () => {
    const update = emu.sendText(user, '/password s3cret!');
    await emu.waitForCall('deleteMessage');
    const reply = await emu.waitForCall('sendMessage');
    expect(reply.params.text).toBe('密码已设置');
    expect(emu.deletedMessages(user.id)).toEqual([update.message.message_id]);
    expect(emu.messagesTo(user.id)).toEqual(['已选择 A', '密码已设置']);
  });

  it('round-trips files: the bot downloads an upload and sends a document back (multipart)', async () => {
    emu.sendDocument(user, { content: Buffer.from('name,score\nxiaoming,90\n'), fileName: '名单.csv' });
    await emu.waitForCall('getFile');
    const sent = await emu.waitForCall('sendDocument');
    expect(sent.params.document).toEqual({ fileName: '回执-名单.csv', mime: 'text/csv', data: Buffer.from('NAME,SCORE\nXIAOMING,90\n') });
    expect(sent.params).toMatchObject({ chat_id: String(user.id), caption: '处理完成', reply_markup: { inline_keyboard: [[{ callback_data: 'ok' }]] } });
    expect(sent.result).toMatchObject({ caption: '处理完成', document: { file_name: '回执-名单.csv', mime_type: 'text/csv', file_size: 23 } });
    expect(emu.messagesTo(user.id)).toEqual(['已选择 A', '密码已设置', '处理完成']);

    // The document the bot sent is downloadable too.
    const file = await bot.telegram.getFile((sent.result as { document: { file_id: string } }).document.file_id);
    const res = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`);
    expect(await res.text()).toBe('NAME,SCORE\nXIAOMING,90\n');
  });

  it('rejects waitForCall with the calls seen when nothing matches', async () => {
    await expect(emu.waitForCall('sendMessage', (c) => c.params.text === 'never', 50)).rejects.toThrow(
      /waitForCall\('sendMessage'\) timed out after 50ms[\s\S]*sendMessage \{"chat_id":424242,.*"text":"你好"/,
    );
  });

  it('returns Bot API errors to telegraf', async () => {
    await expect(bot.telegram.deleteMessage(user.id, 9999)).rejects.toMatchObject({
      response: { ok: false, error_code: 400, description: 'Bad Request: message to delete not found' },
    });
    await expect(bot.telegram.editMessageText(user.id, 9999, undefined, 'x')).rejects.toThrow('message to edit not found');
  });
});

describe('BotApiEmulator HTTP surface', () => {
  let emu: BotApiEmulator;
  const api = (method: string, init?: RequestInit, token = emu.token) =>
    fetch(`${emu.apiRoot}/bot${token}/${method}`, init).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeEach(async () => {
    emu = await BotApiEmulator.start({ token: '1:abc' });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('checks the token and accepts JSON, urlencoded and query parameters', async () => {
    expect(await api('getMe', undefined, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect((await api('getMe')).body.result.username).toBe('zhtj_test_bot');
    await api('sendMessage', json({ chat_id: 5, text: 'json' }));
    await api('sendMessage', { method: 'POST', body: new URLSearchParams({ chat_id: '5', text: 'form', reply_markup: '{"inline_keyboard":[]}' }) });
    await api('sendChatAction?chat_id=5&action=typing');
    expect(emu.callsOf('sendMessage')[1].params).toEqual({ chat_id: '5', text: 'form', reply_markup: { inline_keyboard: [] } });
    expect(emu.messagesTo(5)).toEqual(['json', 'form']);
    expect(emu.callsOf('sendChatAction')[0].params).toEqual({ chat_id: '5', action: 'typing' });
    expect((await api('sendMessage', json({ chat_id: 5, text: '' }))).body.error_code).toBe(400);
  });

  it('long-polls getUpdates: timeout, wake-up on push, offset confirmation, limit', async () => {
    let t = Date.now();
    expect((await api('getUpdates', json({ timeout: 1 }))).body.result).toEqual([]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);

    t = Date.now();
    const poll = api('getUpdates', json({ timeout: 10 }));
    await emu.waitForCall('getUpdates', (c) => c.params.timeout === 10);
    const pushed = emu.sendText(user, 'hello');
    const got = (await poll).body.result;
    expect(Date.now() - t).toBeLessThan(2000);
    expect(got).toEqual([pushed]);
    expect(pushed.update_id).toBe(1);

    emu.sendText(user, 'two');
    emu.sendText(user, 'three');
    expect((await api('getUpdates', json({ offset: 1, limit: 2 }))).body.result.map((u: any) => u.message.text)).toEqual(['hello', 'two']);
    expect((await api('getUpdates', json({ offset: 2 }))).body.result.map((u: any) => u.message.text)).toEqual(['two', 'three']);
    expect((await api('getUpdates', json({ offset: 4 }))).body.result).toEqual([]);
  });

  it('ends pending polls on stop()', async () => {
    const poll = api('getUpdates', json({ timeout: 30 }));
    await emu.waitForCall('getUpdates');
    const t = Date.now();
    await emu.stop();
    expect((await poll).body).toEqual({ ok: true, result: [] });
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('records webhooks and commands, and falls back to true for other methods', async () => {
    await api('setWebhook', json({ url: 'https://example.test/hook', secret_token: 's' }));
    expect((await api('getWebhookInfo')).body.result).toMatchObject({ url: 'https://example.test/hook', pending_update_count: 0 });
    expect((await api('getUpdates')).body.error_code).toBe(409);
    expect((await api('deleteWebhook')).body).toEqual({ ok: true, result: true });
    await api('setMyCommands', json({ commands: [{ command: 'start', description: '开始' }] }));
    expect((await api('getMyCommands')).body.result).toEqual([{ command: 'start', description: '开始' }]);
    await api('deleteMyCommands');
    expect((await api('getMyCommands')).body.result).toEqual([]);
    expect((await api('banChatMember', json({ chat_id: 1, user_id: 2 }))).body).toEqual({ ok: true, result: true });
    expect(emu.callsOf('banChatMember')).toHaveLength(1);
  });

  it('enforces an overall rate (429 with retry_after above it, refusals not counted) and a storm', async () => {
    emu.limitOverall({ perSecond: 1, retryAfterS: 3, burst: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await api('sendMessage', json({ chat_id: 900 + i, text: 'x' }))).body.error_code ?? 200);
      expect(codes).toEqual([200, 200, 429, 429]);
      expect((await api('sendMessage', json({ chat_id: 1, text: 'x' }))).body.parameters).toEqual({ retry_after: 3 });
    } finally {
      emu.limitOverall(null);
    }
    emu.startStorm(60_000, 2);
    expect((await api('sendMessage', json({ chat_id: 1, text: 'x' }))).body).toMatchObject({ error_code: 429, parameters: { retry_after: 2 } });
    emu.startStorm(0, 2);
    expect((await api('sendMessage', json({ chat_id: 1, text: 'x' }))).body.ok).toBe(true);
    expect(emu.refusals.filter((r) => r.code === 429).length).toBeGreaterThanOrEqual(4);
  });

  it('posts updates to a webhook endpoint with the secret header', async () => {
    const bot = new Telegraf(emu.token, { telegram: { apiRoot: emu.apiRoot, webhookReply: false } });
    bot.botInfo = { id: 777000111, is_bot: true, first_name: '智慧团建', username: 'zhtj_test_bot' } as typeof bot.botInfo;
    bot.on('text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const server = http.createServer(bot.webhookCallback('/hook', { secretToken: 'sekret' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      expect((await emu.postWebhookUpdate(url, emu.textUpdate(user, 'hi'), 'wrong')).status).toBe(403);
      expect((await emu.postWebhookUpdate(url, emu.textUpdate(user, 'hi'), 'sekret')).status).toBe(200);
      expect((await emu.waitForCall('sendMessage')).params).toMatchObject({ chat_id: user.id, text: 'echo: hi' });
    } finally {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
  });
});
