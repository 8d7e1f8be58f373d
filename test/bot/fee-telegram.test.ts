import { buildTree, makeAdmin } from '../helpers/fixtures/admin-fixtures';
import type { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { buildPerson } from '../helpers/fixtures/factories';
import { startPollingBot } from '../helpers/telegram/polling-bot';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let emu: BotApiEmulator;
let stopBot: () => Promise<void>;

beforeAll(async () => {
  sys = await createTestSystem();
  sys.clock.now = new Date('2026-12-03T02:00:00Z');
  ({ emu, stop: stopBot } = await startPollingBot(sys));
});
afterAll(async () => {
  await stopBot();
  await sys.close();
});

describe('fee lookup through the Telegram adapter (Bot API emulator)', () => {
  it('R20 /fee answers with the monthly amount and why, the months paid this year and what is owed, with a button to declare', async () => {
    const tree = await buildTree(sys, '电费');
    const admin = await makeAdmin(sys, tree.branchA.id, '支书');
    const member = await buildPerson(sys, { name: '查费者', branchId: tree.branchA.id, password: 'Member2024x' });
    await sys.db.sequelize.query('UPDATE people SET created_at = :at WHERE id = :id', {
      replacements: { at: new Date('2025-03-01T00:00:00Z'), id: member.person.id },
    });
    await sys.services.fees.profiles.set(admin.person.id, member.person.id, { category: 'wage', wageFen: 250_000 });
    await sys.services.fees.payments.record(admin.person.id, { personId: member.person.id, months: { from: '2026-01', to: '2026-09' }, amountFen: 4500 });
    const user = { id: 7200001, first_name: '查费者' };
    await sys.services.bindings.bind('telegram', String(user.id), String(user.id), member.person.id);

    emu.sendText(user, '/fee');
    const reply = await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === user.id && String(c.params.text).includes('【我的团费】'));
    const text = String(reply.params.text);
    expect(text).toContain('团费类别：有工资收入（税后月收入 2,500 元）');
    expect(text).toContain('每月应交：5 元');
    expect(text).toContain('依据：中青发〔2016〕13号《关于中国共产主义青年团团费收缴、使用和管理的规定》第五条');
    expect(text).toContain('本年已交：2026年1-9月，共 45 元');
    expect(text).toContain('尚欠：2026年10-12月，共 3 个月，15 元');
    const keyboard = JSON.stringify(reply.params.reply_markup);
    expect(keyboard).toContain('申报类别或收入变化');

    // The menu offers it too: /start's buttons and the command list.
    emu.sendText(user, '/start');
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === user.id && JSON.stringify(c.params.reply_markup ?? '').includes('团费查询'));
  });
});
