import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import { TelegramChannel } from '../bot/telegram';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { buildPerson } from '../test/helpers/factories';

async function time(label: string, n: number, fn: (i: number) => Promise<unknown>) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  console.log(label, (Number(process.hrtime.bigint() - t) / 1e6 / n).toFixed(3), 'ms');
}
async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parts-'));
  const sys = await buildSystem({ databaseUrl: `sqlite:${dir}/db.sqlite`, dataDir: dir, scryptLog2N: 10 }, createLogger('silent'), { masterKey: crypto.randomBytes(32) });
  const { person } = await buildPerson(sys as any, { password: 'x1234567a' });
  await sys.services.bindings.bind('telegram', '42', '42', person.id);
  Telegram.prototype.callApi = (async () => ({ message_id: 1 })) as never;
  const ch = new TelegramChannel({ token: '1:b', apiRoot: 'http://127.0.0.1:9', runner: sys.runner, logger: sys.logger });
  ch.bot.botInfo = { id: 1, is_bot: true, first_name: 'b', username: 'b', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  const N = 2000;
  await time('select1', N, () => sys.db.fast.all('SELECT 1'));
  await time('claim', N, (i) => sys.services.updates.claim('t', i));
  await time('session', N, () => sys.services.conversations.session('telegram', '42', '42'));
  await time('card', N, () => sys.services.accounts.profileCard(person.id));
  const io = { send: async () => {}, progress: async () => {}, deleteUserMessage: async () => {}, setMenu: async () => {} };
  await time('runner', N, (i) => sys.runner.handle({ actor: { channel: 'telegram', userId: '42', chatId: '42', isPrivate: true }, event: { type: 'command', name: 'me', args: '' }, updateId: 100000 + i, io }));
  const upd = (i: number) => ({ update_id: 200000 + i, message: { message_id: i, date: 0, chat: { id: 42, type: 'private', first_name: 'u' }, from: { id: 42, is_bot: false, first_name: 'u' }, text: '/me', entities: [{ type: 'bot_command', offset: 0, length: 3 }] } });
  await time('telegram', N, (i) => ch.handleUpdate(upd(i) as never));
}
main();
