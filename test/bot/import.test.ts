import { rosterIdNumber, writeRosterXlsx } from '../../bench/roster-data';
import { TelegramChannel } from '../../bot/telegram';
import { Person, Post } from '../../models';
import { backgroundJobsJob } from '../../server/jobs/background-jobs';
import { outboxSenderJob } from '../../server/jobs/outbox-sender';
import { Scheduler } from '../../server/jobs/scheduler';
import { BotApiEmulator, type UploadedFile } from '../helpers/telegram/bot-api-emulator';
import { buildPerson } from '../helpers/fixtures/factories';
import { importFixture, reportMessages } from '../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

let sys: TestSystem;
let emu: BotApiEmulator;
let bot: TelegramChannel;
let scheduler: Scheduler;
let fixture: Awaited<ReturnType<typeof importFixture>>;
const user = { id: 5560001, first_name: '钱管理' };
const other = { id: 5560002, first_name: '路人' };
const ROWS = 20_000;
const FAST = { perChatBurst: 50, perChatPerSecond: 50, overallBurst: 100, overallPerSecond: 100 };

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start();
  fixture = await importFixture(sys, '壬');
  await sys.services.bindings.bind('telegram', String(user.id), String(user.id), fixture.admin.person.id);
  const member = await buildPerson(sys, { name: '路人甲', password: 'Member2024x' });
  await sys.services.bindings.bind('telegram', String(other.id), String(other.id), member.person.id);
  bot = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, runner: sys.runner, logger: sys.logger, pace: FAST });
  bot.startPolling();
  // As server/main.ts wires them: the import runs as a background job, its answer goes through the outbox.
  scheduler = new Scheduler(sys, [outboxSenderJob({ telegram: bot.deliver }), backgroundJobsJob({ telegram: { show: bot.showProgress } })], 'Asia/Shanghai');
  scheduler.start();
  sys.services.backgroundJobs.events.on('queued', () => void scheduler.runNow('background-jobs'));
});
afterAll(async () => {
  await scheduler.stop();
  await bot.stop();
  await emu.stop();
  await sys.close();
});

const textTo = (chatId: number, fragment: string, timeoutMs = 5000) =>
  emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === chatId && String(c.params.text).includes(fragment), timeoutMs);

describe('spreadsheet import over the Telegram Bot API (emulator, long polling), as a background job', () => {
  it(`R7 a ${ROWS}-row file: answered at once, imported in the background with progress edited in place, the outcome delivered; other users are answered meanwhile; a broken one comes back as a report document`, async () => {
    const branches = [fixture.branchA.fullName, fixture.branchB.fullName.replace('（', '(').replace('）', ')')];
    const good = (await writeRosterXlsx({ rows: ROWS, branches, inMemory: true }))!;
    const before = await Person.count();
    const postsBefore = await Post.count();

    emu.sendText(user, '/import');
    await textTo(user.id, '请把填好的团员名单文件');
    emu.sendDocument(user, { content: good, fileName: '全校团员.xlsx' });
    await textTo(user.id, '已收到“全校团员.xlsx”');
    // Another user, while the import runs: answered before the import is done.
    emu.sendText(other, '/me');
    const me = await textTo(other.id, '我的信息');
    const done = await textTo(user.id, `导入成功：共 ${ROWS} 人`, 60_000);
    expect(emu.calls.indexOf(me)).toBeLessThan(emu.calls.indexOf(done));
    expect(await Person.count()).toBe(before + ROWS);
    expect(await Post.count()).toBe(postsBefore + ROWS / 20); // every 20th person is a cadre with a post
    expect((await sys.services.accounts.findByIdNumber(rosterIdNumber(ROWS - 1)))?.branchId).toBe(fixture.branchB.id);

    // One progress message, edited in place: sent once, then edits showing rows processed.
    const progressSent = emu.callsOf('sendMessage').filter((c) => String(c.params.text).includes('正在检查'));
    expect(progressSent).toHaveLength(1);
    const edits = emu.callsOf('editMessageText').map((c) => String(c.params.text));
    expect(edits.some((t) => new RegExp(`已处理 \\d+/${ROWS} 行`).test(t))).toBe(true);
    expect(edits.every((t, i) => i === 0 || t !== edits[i - 1])).toBe(true);
    const finalEdit = `已处理 ${ROWS}/${ROWS} 行，已全部写入`;
    await until(() => emu.messagesTo(user.id).includes(finalEdit), { what: `the progress edit "${finalEdit}"`, seen: () => emu.messagesTo(user.id).slice(-3) });
    expect(await sys.services.backgroundJobs.listFor(fixture.admin.person.id)).toEqual([
      expect.objectContaining({ status: 'done', outcome: { result: 'imported', imported: ROWS } }),
    ]);

    const broken = (await writeRosterXlsx({
      rows: ROWS,
      branches,
      idOffset: ROWS,
      inMemory: true,
      edit: (row, i) => (i === 4000 ? row.map((v, c) => (c === 5 ? '123' : v)) : i === 8000 ? row.map((v, c) => (c === 2 ? '共青团不存在的支部' : v)) : row),
    }))!;
    emu.sendDocument(user, { content: broken, fileName: '补充名单.xlsx' });
    const sent = await emu.waitForCall('sendDocument', (c) => Number(c.params.chat_id) === user.id, 60_000);
    const report = sent.params.document as UploadedFile;
    expect(report.fileName).toBe('错误报告-补充名单.xlsx');
    expect(sent.params.caption).toBe('导入未完成：第 4002 行等 2 行有错误，未写入任何数据。请按“错误信息”列修改后重新发送此文件。');
    await textTo(user.id, '第 8002 行：组织不存在：共青团不存在的支部');
    const messages = await reportMessages(report.data);
    expect([...messages.keys()]).toEqual([4002, 8002]);
    expect(messages.get(4002)).toContain('手机号码“123”不正确');
    expect(await Person.count()).toBe(before + ROWS);

    emu.sendText(user, '/jobs');
    const list = await textTo(user.id, '我的后台任务');
    expect(list.params.text).toContain('补充名单.xlsx');
    expect(list.params.text).toContain('有 2 行错误');
  }, 120_000);
});
