import type { FlowEvent, Reply } from '../../../flows/engine/types';
import { Person } from '../../../models';
import { TestChat } from '../../helpers/chat';
import { buildPerson } from '../../helpers/fixtures/factories';
import { finishJobs } from '../../helpers/jobs';
import { expectRobustAtEveryStep } from '../../helpers/fixtures/robustness';
import { importFixture, loadWorkbook, memberRow, reportMessages, rosterXlsx } from '../../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let fixture: Awaited<ReturnType<typeof importFixture>>;
beforeAll(async () => {
  sys = await createTestSystem();
  fixture = await importFixture(sys, '辛');
});
afterAll(() => sys.close());

/** A document event; `downloads` counts fetches so a test can see a refusal came before one. */
function doc(data: Buffer, name = '名单.xlsx', size = data.length) {
  const counter = { downloads: 0 };
  const event: FlowEvent = { type: 'document', file: { name, size, download: async () => (counter.downloads++, data) } };
  return { event, counter };
}

const texts = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

/** Sends a file that is taken for import: answered at once, then imported in the background; returns the outcome's messages. */
async function imported(chat: TestChat, event: FlowEvent): Promise<Reply[]> {
  expect(texts(await chat.send(event))).toMatch(/已收到“.+”，正在后台检查和导入/);
  return finishJobs(sys, chat);
}

async function adminChat(): Promise<TestChat> {
  const chat = new TestChat(sys);
  expect(await chat.login(fixture.admin.idNumber, fixture.admin.password)).toContain('登录成功');
  return chat;
}

describe('/import and /template', () => {
  it('R7 /template sends the template workbook', async () => {
    const [reply] = await new TestChat(sys).send({ type: 'command', name: 'template', args: '' });
    expect(reply.file?.name).toBe('团员信息导入模板.xlsx');
    const wb = await loadWorkbook(reply.file!.data);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['团员信息', '填写说明']);
  });

  it('R7 an admin imports in chat: explanation, template button, refusals before download, progress, summary', async () => {
    const chat = await adminChat();
    const intro = await chat.send({ type: 'command', name: 'import', args: '' });
    expect(intro[0].text).toContain('10 MB');
    expect(intro[0].text).toContain(fixture.school.fullName);
    expect(intro[0].choices!.flat().map((c) => c.label)).toContain('下载导入模板');
    const [template] = await chat.send({ type: 'choice', value: 'import:template' });
    expect(template.file?.name).toMatch(/\.xlsx$/);
    expect(await chat.say('你好')).toContain('请直接发送团员名单文件');

    const pdf = doc(Buffer.from('%PDF'), '名单.pdf');
    expect(texts(await chat.send(pdf.event))).toContain('只能导入 Excel（.xlsx）或 CSV 文件');
    const xls = doc(Buffer.from('x'), '名单.xls');
    expect(texts(await chat.send(xls.event))).toContain('另存为 .xlsx');
    const huge = doc(Buffer.from('x'), '大名单.xlsx', 25 * 1024 * 1024);
    expect(texts(await chat.send(huge.event))).toContain('超过 10 MB 的上限');
    expect(pdf.counter.downloads + xls.counter.downloads + huge.counter.downloads).toBe(0);

    const rows = [memberRow(fixture.branchA.fullName, { 姓名: '孙小红' }), memberRow(fixture.branchB.fullName, { 政治面貌: '团干部', 职务: '宣传委员' })];
    const good = doc(await rosterXlsx(rows));
    const summary = texts(await imported(chat, good.event));
    expect(summary).toContain('导入成功：共 2 人（团员 1 人，团干部 1 人，其中 1 人已设置职务）');
    expect(summary).toContain('新账号初始密码为身份证号码后 8 位，首次登录需修改密码');
    expect(chat.progress[0]).toContain('正在检查');
    expect(chat.progress).toContain('正在检查：已处理 2/2 行');
    expect(chat.progress[chat.progress.length - 1]).toBe('已处理 2/2 行，已全部写入');
    expect(await chat.say('/cancel')).toContain('当前没有进行中的操作'); // the conversation ended when the file was taken
  });

  it('R7 R11 a broken file comes back as an error report with the first errors; the fixed file sent back imports', async () => {
    const chat = await adminChat();
    await chat.say('/import');
    const ok = memberRow(fixture.branchA.fullName);
    const bad = [ok, memberRow('共青团不存在的团支部'), memberRow(fixture.branchA.fullName, { 手机号码: '123' })];
    const replies = await imported(chat, doc(await rosterXlsx(bad), '二班名单.xlsx').event);
    expect(replies[0].text).toBe('导入未完成：第 3 行等 2 行有错误，未写入任何数据。请按“错误信息”列修改后重新发送此文件。');
    expect(replies[0].file?.name).toBe('错误报告-二班名单.xlsx');
    expect(replies[1].text).toContain('第 3 行：组织不存在：共青团不存在的团支部');
    expect(replies[1].text).toContain('第 4 行：手机号码“123”不正确');
    expect(chat.progress[chat.progress.length - 1]).toBe('已处理 3/3 行，发现 2 行有错误');
    expect(await sys.services.accounts.findByIdNumber(String(ok.身份证号码))).toBeNull();

    const wb = await loadWorkbook(replies[0].file!.data);
    expect([...(await reportMessages(replies[0].file!.data)).keys()]).toEqual([3, 4]);
    wb.worksheets[0].getCell('C3').value = fixture.branchB.fullName;
    wb.worksheets[0].getCell('F4').value = '13700001111';
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    expect(texts(await imported(chat, doc(fixed, '错误报告-二班名单.xlsx').event))).toContain('导入成功：共 3 人');
    expect((await sys.services.accounts.findByIdNumber(String(ok.身份证号码)))?.branchId).toBe(fixture.branchA.id);
  });

  it('R4 the same file sent again is answered "already imported" and adds nobody', async () => {
    const chat = await adminChat();
    const file = await rosterXlsx([memberRow(fixture.branchA.fullName)]);
    expect(texts(await imported(chat, doc(file).event))).toContain('导入成功：共 1 人');
    const count = await Person.count();
    expect(texts(await imported(chat, doc(file).event))).toContain('这份名单中的 1 人都已有账号');
    expect(await Person.count()).toBe(count);
  });

  it('R7 a file sent outside the conversation: an admin is taken to the import, others get a clear refusal', async () => {
    const admin = await adminChat();
    expect(texts(await imported(admin, doc(await rosterXlsx([memberRow(fixture.branchB.fullName)])).event))).toContain('导入成功：共 1 人');
    expect(texts(await admin.send(doc(Buffer.from('随便'), '说明.txt').event))).toContain('只能导入 Excel（.xlsx）或 CSV 文件');
    expect(await admin.say('/cancel')).toContain('已取消');

    const { idNumber } = await buildPerson(sys, { password: 'Member2024x' });
    const member = new TestChat(sys);
    await member.login(idNumber, 'Member2024x');
    const file = doc(await rosterXlsx([memberRow(fixture.branchA.fullName)]));
    expect(texts(await member.send(file.event))).toContain('只有组织管理员可以导入团员名单');
    expect(await member.say('/import')).toContain('只有组织管理员可以导入团员名单');
    expect(texts(await new TestChat(sys).send(file.event))).toContain('请先登录');
    expect(file.counter.downloads).toBe(0);
  });

  it('R7 the import is answered only in a private chat', async () => {
    const group = new TestChat(sys, undefined, { chatId: '-100200', isPrivate: false });
    expect(await group.say('/import')).toContain('私聊');
  });

  it('random text, stray buttons, files and /cancel at every step never crash the import', async () => {
    await expectRobustAtEveryStep(sys, [(c) => c.say('/import'), (c) => c.press('import:template')], adminChat);
  });
});
