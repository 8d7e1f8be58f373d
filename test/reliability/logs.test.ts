/**
 * Nothing personal in logs, where it used to leak: failed sends of replies that carry a
 * registration code or a profile, failed outbox deliveries of notices that name people, a
 * refused webhook. Every line is captured and scanned here (and every line the whole suite
 * writes is scanned again by the global teardown).
 */
import { Writable } from 'node:stream';
import { TelegramChannel } from '../../bot/telegram';
import { seed, demoIdNumber } from '../../seeds';
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_PEOPLE } from '../../seeds/demo';
import { createLogger } from '../../server/logger';
import { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { leaksIn } from '../helpers/personal-data';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let sys: TestSystem;
let emu: BotApiEmulator;
let bot: TelegramChannel;

beforeAll(async () => {
  sys = await createTestSystem({ logger: createLogger('trace', capture) });
  await seed(sys.services, { demo: true });
  emu = await BotApiEmulator.start();
  bot = new TelegramChannel({
    token: emu.token,
    apiRoot: emu.apiRoot,
    runner: sys.runner,
    logger: sys.logger,
    retryBaseMs: 20,
    pace: { perChatBurst: 50, perChatPerSecond: 50, overallBurst: 50, overallPerSecond: 50 },
  });
});
afterAll(async () => {
  await bot.stop();
  await emu.stop();
  await sys.close();
});

describe('nothing personal in logs', () => {
  it('failed sends log the method, the chat and the error; never a code, a name, a phone or an ID number', async () => {
    const admin = DEMO_PEOPLE[0];
    const user = { id: 7_800_001 };
    const update = (text: string) => bot.handleUpdate(emu.textUpdate(user, text) as never);
    await update('/login');
    await update(demoIdNumber(admin));
    await update(DEMO_PASSWORD);
    await update('/me');
    // Now every reply fails: the one with the registration codes, the profile card.
    emu.reject(user.id);
    await update('/admin_code');
    await update('/cancel');
    await update('/me');
    emu.block(user.id);
    await update('/me');

    // Outbox notices naming people, to chats that refuse them.
    const member = DEMO_PEOPLE.find((p) => p.role === 'member')!;
    const person = (await sys.services.accounts.findByIdNumber(demoIdNumber(member)))!;
    await sys.services.bindings.bind('telegram', '7800002', '7800002', person.id);
    emu.reject(7_800_002);
    await sys.services.outbox.toPerson(person.id, {
      text: `${member.name}（${demoIdNumber(member)}，${member.phone}）：您的申请已通过，注册码 ${DEMO_ORGS[0].adminCode}`,
    });
    await sys.services.outbox.deliverDue({ telegram: bot.deliver }, { owner: 'log-test' });

    const failed = () => lines.filter((l) => l.includes('Telegram call failed') || l.includes('outbox delivery failed'));
    await until(() => failed().length >= 3, { what: 'three failures logged', seen: () => lines.slice(-5) }); // the failures were logged …
    const failures = failed();
    expect(failures.some((l) => l.includes('"method":"sendMessage"') && l.includes('"chatId":"7800001"'))).toBe(true);
    const leaks = lines.map((l) => leaksIn(l)).filter((found) => found.length);
    expect(leaks).toEqual([]); // … and nothing personal with them
  });
});
