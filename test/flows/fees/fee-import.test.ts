import * as ExcelJS from 'exceljs';
import { AuditLog, FeePayment } from '../../../models';
import type { Reply } from '../../../flows/engine/types';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
  sys.clock.now = new Date('2026-12-03T02:00:00Z');
});
afterAll(() => sys.close());

const HEADER = ['姓名', '身份证号码', '交费月份', '金额（元）', '备注'];

async function xlsx(rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('团费交纳');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const sendFile = (chat: TestChat, name: string, data: Buffer): Promise<Reply[]> =>
  chat.send({ type: 'document', file: { name, size: data.length, download: async () => data } });

async function reportRows(file: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as ExcelJS.CellValue[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
}

let tag = 0;

async function world() {
  const t = await buildTree(sys, `导费${++tag}`);
  const admin = await makeAdmin(sys, t.school.id, '团委管理');
  const chat = new TestChat(sys);
  await chat.login(admin.idNumber, admin.password);
  const people: Record<string, { id: number; idNumber: string }> = {};
  for (const [name, branchId] of [
    ['甲团员', t.branchA.id],
    ['乙团员', t.branchA.id],
    ['丙团员', t.branchB.id],
    ['同名', t.branchA.id],
    ['同名', t.branchB.id],
    ['外单位', t.otherBranch.id],
  ] as const) {
    const { person, idNumber } = await buildPerson(sys, { name, branchId });
    await sys.db.sequelize.query('UPDATE people SET created_at = :at WHERE id = :id', {
      replacements: { at: new Date('2025-01-01T00:00:00Z'), id: person.id },
    });
    if (name !== '外单位') await sys.services.fees.profiles.set(admin.person.id, person.id, { category: 'student' });
    people[people[name] ? `${name}2` : name] = { id: person.id, idNumber };
  }
  return { ...t, admin, chat, people };
}

describe('fee payment import by spreadsheet (R20)', () => {
  it('R20 a file with wrong rows imports nothing and comes back row by row; the report, fixed, imports; sent again it is refused', async () => {
    const w = await world();
    expect(await w.chat.say('/fee_import')).toContain('导入团费');
    const [template] = await w.chat.send({ type: 'choice', value: 'fee-import:template' });
    expect(template.file!.name).toBe('团费交纳导入模板.xlsx');
    expect((await reportRows(template.file!.data))[0]).toEqual(['姓名*', '身份证号码', '交费月份*', '金额（元）*', '备注']);

    const wrong = await xlsx([
      ['甲团员', null, '2026-01至2026-06', 1.2, '现金'],
      ['丁不存在', null, '1-6月', 1.2, null],
      ['乙团员', null, '1-6月', 0.5, null],
      ['甲团员', null, '2026-05至2026-08', 0.8, null],
      ['同名', null, '1-3月', 0.6, null],
      ['外单位', null, '1-3月', 0.6, null],
      ['丙团员', null, '上半年', '一块', null],
    ]);
    const replies = await sendFile(w.chat, '十二月团费.xlsx', wrong);
    expect(replies[0].text).toContain('导入未完成：第 3 行等 6 行有错误，未写入任何数据');
    expect(replies[0].file!.name).toBe('错误报告-十二月团费.xlsx');
    expect(replies[1].text).toContain('第 3 行：在您管理的组织及其下级组织中没有名为“丁不存在”的团员');
    expect(replies[1].text).toContain('第 4 行：金额少于应交的 1.2 元（6 个月）');
    expect(replies[1].text).toContain('第 5 行：2026年5-6月已交过团费');
    expect(replies[1].text).toContain('第 6 行：有 2 位团员名为“同名”，请填写身份证号码以区分');
    expect(replies[1].text).toContain('其余 1 行见错误报告');
    expect(await FeePayment.count({ where: { personId: Object.values(w.people).map((p) => p.id) } })).toBe(0);

    const report = await reportRows(replies[0].file!.data);
    expect(report[0]).toEqual([...HEADER, '错误信息']);
    expect(report[1][5] ?? '').toBe('');
    expect(report[6][5]).toBe('在您管理的组织及其下级组织中没有名为“外单位”的团员');
    expect(report[7][5]).toContain('请写成“2026-01至2026-06”');
    expect(report[7][5]).toContain('金额应为数字');

    // Fixed in the report itself (its 错误信息 column left in) and sent back.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(replies[0].file!.data as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    ws.getRow(3).getCell(1).value = '丙团员';
    ws.getRow(4).getCell(4).value = 1.2;
    ws.getRow(5).getCell(3).value = '7-8月';
    ws.getRow(5).getCell(4).value = 0.4;
    ws.getRow(6).getCell(2).value = w.people['同名2'].idNumber;
    ws.spliceRows(7, 1);
    ws.getRow(7).getCell(3).value = '7-12月';
    ws.getRow(7).getCell(4).value = 2;
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    const ok = await sendFile(w.chat, '错误报告-十二月团费.xlsx', fixed);
    expect(ok[0].text).toContain('导入成功：共 6 笔交费（4 名团员），合计 6.6 元');
    const rows = await FeePayment.findAll({ where: { personId: Object.values(w.people).map((p) => p.id) }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.personId, r.fromMonth, r.toMonth, r.amountFen, r.source])).toEqual([
      [w.people['甲团员'].id, '2026-01', '2026-06', 120, 'import'],
      [w.people['丙团员'].id, '2026-01', '2026-06', 120, 'import'],
      [w.people['乙团员'].id, '2026-01', '2026-06', 120, 'import'],
      [w.people['甲团员'].id, '2026-07', '2026-08', 40, 'import'],
      [w.people['同名2'].id, '2026-01', '2026-03', 60, 'import'],
      [w.people['丙团员'].id, '2026-07', '2026-12', 200, 'import'],
    ]);
    expect(rows[0].note).toBe('现金');
    expect(await AuditLog.count({ where: { action: 'fee.payment.import', actorPersonId: w.admin.person.id } })).toBe(1);

    // The same file again: every month is paid already, nothing is written twice.
    await w.chat.say('/fee_import');
    const again = await sendFile(w.chat, '错误报告-十二月团费.xlsx', fixed);
    expect(again[0].text).toContain('6 行有错误，未写入任何数据');
    expect(again[1].text).toContain('已交过团费');
    expect(await FeePayment.count({ where: { personId: Object.values(w.people).map((p) => p.id) } })).toBe(6);
  });

  it('R20 a CSV works too; a file without the columns or not a spreadsheet is refused as a whole', async () => {
    const w = await world();
    await w.chat.say('/fee_import');
    const csv = Buffer.from(`${HEADER.join(',')}\n乙团员,,2026-01,0.2,\n甲团员,,3,0.3,多交 0.1\n`, 'utf8');
    expect((await sendFile(w.chat, '团费.csv', csv))[0].text).toContain('导入成功：共 2 笔交费（2 名团员），合计 0.5 元');
    await w.chat.say('/fee_import');
    expect((await sendFile(w.chat, '团费.csv', Buffer.from('姓名,金额\n甲团员,1\n', 'utf8')))[0].text).toContain('缺少必填列：交费月份');
    expect((await sendFile(w.chat, '团费.pdf', Buffer.from('%PDF')))[0].text).toContain('只能导入 Excel');
    await w.chat.say('/cancel');
  });

  it('R20 a member who is not an admin cannot import', async () => {
    const { idNumber } = await buildPerson(sys, { name: '普通团员', password: 'Member2024x' });
    const chat = new TestChat(sys);
    await chat.login(idNumber, 'Member2024x');
    expect(await chat.say('/fee_import')).toContain('只有组织管理员可以导入团费记录');
  });
});
