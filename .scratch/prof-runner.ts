import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { Telegram } from 'telegraf';
import { TelegramChannel } from '../bot/telegram';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { buildPerson } from '../test/helpers/factories';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parts-'));
  const sys = await buildSystem({ databaseUrl: `sqlite:${dir}/db.sqlite`, dataDir: dir, scryptLog2N: 10 }, createLogger('silent'), { masterKey: crypto.randomBytes(32) });
  const { person } = await buildPerson(sys as any, { password: 'x1234567a' });
  await sys.services.bindings.bind('telegram', '42', '42', person.id);
  Telegram.prototype.callApi = (async () => ({ message_id: 1 })) as never;
  const ch = new TelegramChannel({ token: '1:b', apiRoot: 'http://127.0.0.1:9', runner: sys.runner, logger: sys.logger });
  ch.bot.botInfo = { id: 1, is_bot: true, first_name: 'b', username: 'b', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  const upd = (i: number) => ({ update_id: 200000 + i, message: { message_id: i, date: 0, chat: { id: 42, type: 'private', first_name: 'u' }, from: { id: 42, is_bot: false, first_name: 'u' }, text: '/me', entities: [{ type: 'bot_command', offset: 0, length: 3 }] } });
  for (let i = 0; i < 500; i++) await ch.handleUpdate(upd(i) as never);
  const s = new Session(); s.connect();
  await s.post('Profiler.enable'); await s.post('Profiler.start');
  for (let i = 500; i < 4500; i++) await ch.handleUpdate(upd(i) as never);
  const { profile } = await s.post('Profiler.stop');
  const p: any = profile;
  const self = new Map<string, number>(); const dt: Record<number, number> = {};
  p.samples.forEach((x: number, i: number) => { dt[x] = (dt[x] || 0) + (p.timeDeltas[i] || 0); });
  for (const n of p.nodes) { const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').slice(-3).join('/') + ':' + n.callFrame.lineNumber; self.set(k, (self.get(k) || 0) + (dt[n.id] || 0)); }
  [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / 1000).toFixed(0), k));
}
main();
