import { rosterIdNumber, writeRosterXlsx } from '../../bench/roster-data';
import { TelegramChannel } from '../../bot/telegram';
import { Person, Post } from '../../models';
import { BotApiEmulator, type UploadedFile } from '../helpers/bot-api-emulator';
import { importFixture, reportMessages } from '../helpers/roster';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let emu: BotApiEmulator;
let bot: TelegramChannel;
let fixture: Awaited<ReturnType<typeof importFixture>>;
const user = { id: 5560001, first_name: '钱管理' };
const ROWS = 10_000;

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start();
  fixture = await importFixture(sys, '壬');
  await sys.services.bindings.bind('telegram', String(user.id), String(user.id), fixture.admin.person.id);
  bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger: sys.logger });
  await bot.startPolling();
});
afterAll(async () => {
  bot.stop();
  await emu.stop();
  await sys.close();
});

const textTo = (fragment: string, timeoutMs = 5000) =>
  emu.waitForCall('sendMessage', (c) => c.params.chat_id === user.id && String(c.params.text).includes(fragment), timeoutMs);

describe('spreadsheet import over the Telegram Bot API (emulator, long polling)', () => {
  it(`R7 a ${ROWS}-row file: uploaded, downloaded by the bot, progress edited in place, summary; a broken one comes back as a report document`, async () => {
    const branches = [fixture.branchA.fullName, fixture.branchB.fullName.replace('（', '(').replace('）', ')')];
    const good = (await writeRosterXlsx({ rows: ROWS, branches, inMemory: true }))!;
    const before = await Person.count();
    const postsBefore = await Post.count();

    emu.sendText(user, '/import');
    await textTo('请把填好的团员名单文件');
    emu.sendDocument(user, { content: good, fileName: '全校团员.xlsx' });
    await textTo(`导入成功：共 ${ROWS} 人`, 60_000);
    expect(await Person.count()).toBe(before + ROWS);
    expect(await Post.count()).toBe(postsBefore + ROWS / 20); // every 20th person is a cadre with a post, in every write batch
    expect((await sys.services.accounts.findByIdNumber(rosterIdNumber(ROWS - 1)))?.branchId).toBe(fixture.branchB.id);

    // One progress message, edited in place: sent once, then edits showing rows processed.
    const progressSent = emu.callsOf('sendMessage').filter((c) => String(c.params.text).includes('正在检查'));
    expect(progressSent).toHaveLength(1);
    const edits = emu.callsOf('editMessageText').map((c) => String(c.params.text));
    expect(edits.some((t) => new RegExp(`已处理 \\d+/${ROWS} 行`).test(t))).toBe(true);
    expect(edits.every((t, i) => i === 0 || t !== edits[i - 1])).toBe(true);
    expect(emu.messagesTo(user.id)).toContain(`已处理 ${ROWS}/${ROWS} 行，已全部写入`);

    const broken = (await writeRosterXlsx({
      rows: ROWS, branches, idOffset: ROWS, inMemory: true,
      edit: (row, i) => (i === 4000 ? row.map((v, c) => (c === 5 ? '123' : v)) : i === 8000 ? row.map((v, c) => (c === 2 ? '共青团不存在的支部' : v)) : row),
    }))!;
    emu.sendDocument(user, { content: broken, fileName: '补充名单.xlsx' });
    const sent = await emu.waitForCall('sendDocument', (c) => c.params.chat_id === user.id || c.params.chat_id === String(user.id), 60_000);
    const report = sent.params.document as UploadedFile;
    expect(report.fileName).toBe('错误报告-补充名单.xlsx');
    expect(sent.params.caption).toBe('导入未完成：第 4002 行等 2 行有错误，未写入任何数据。请按“错误信息”列修改后重新发送此文件。');
    await textTo('第 8002 行：组织不存在：共青团不存在的支部');
    const messages = await reportMessages(report.data);
    expect([...messages.keys()]).toEqual([4002, 8002]);
    expect(messages.get(4002)).toContain('手机号码“123”不正确');
    expect(await Person.count()).toBe(before + ROWS);
  }, 120_000);
});
