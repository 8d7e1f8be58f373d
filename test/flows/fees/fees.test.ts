import * as ExcelJS from 'exceljs';
import { AuditLog, FeePayment, OutboxMessage } from '../../../models';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** 2026-12-03 10:00 in Beijing. */
const DEC_3 = new Date('2026-12-03T02:00:00Z');
let tag = 0;

/** Dates a person's record back, as if entered long ago (counting then starts in January). */
async function recordedAt(personId: number, at: string): Promise<void> {
  await sys.db.sequelize.query('UPDATE people SET created_at = :at WHERE id = :id', { replacements: { at: new Date(at), id: personId } });
}

async function loggedIn(idNumber: string, password: string): Promise<TestChat> {
  const chat = new TestChat(sys);
  expect(await chat.login(idNumber, password)).toContain('登录成功');
  return chat;
}

async function world() {
  sys.clock.now = DEC_3;
  const n = ++tag;
  const tree = await buildTree(sys, `费${n}`);
  const branchAdmin = await makeAdmin(sys, tree.branchA.id, '支部管理');
  const schoolAdmin = await makeAdmin(sys, tree.school.id, '团委管理');
  const otherAdmin = await makeAdmin(sys, tree.otherBranch.id, '别处管理');
  const member = await buildPerson(sys, { name: `王小团${n}`, branchId: tree.branchA.id, password: 'Member2024x' });
  await recordedAt(member.person.id, '2025-06-01T00:00:00Z');
  return {
    ...tree,
    n,
    member,
    branchAdmin,
    schoolAdmin,
    otherAdmin,
    branchChat: await loggedIn(branchAdmin.idNumber, branchAdmin.password),
    schoolChat: await loggedIn(schoolAdmin.idNumber, schoolAdmin.password),
    otherChat: await loggedIn(otherAdmin.idNumber, otherAdmin.password),
    memberChat: await loggedIn(member.idNumber, 'Member2024x'),
  };
}

/** Records a payment through /fee_pay: name, months, amount (a button value or typed), no note. */
async function pay(chat: TestChat, name: string, months: string, amount: string) {
  await chat.say('/fee_pay');
  const found = await chat.say(name);
  const monthsRead = await chat.say(months);
  const amountRead = amount.startsWith('fee-amt:') ? await chat.press(amount) : await chat.say(amount);
  const summary = await chat.press('fee-pay:skip');
  const done = await chat.press('form:submit');
  return { found, monthsRead, amountRead, summary, done };
}

describe('fee lookup, categories and payments in chat (R20)', () => {
  it('R20 /fee before a category is set says so; an admin sets 学生 in chat and /fee shows 0.2 元, the standard and what is owed', async () => {
    const w = await world();
    const before = await w.memberChat.say('/fee');
    expect(before).toContain('【我的团费】2026年');
    expect(before).toContain('团费类别：未设置');
    expect(before).toContain('尚欠：2026年1-12月，共 12 个月（金额待设置团费类别后算出）');

    await w.branchChat.say('/fee_set');
    expect(await w.branchChat.say(`王小团${w.n}`)).toContain('请选择团费类别');
    const summary = await w.branchChat.press('fee-cat:student');
    expect(summary).toContain('按现行标准每月应交：0.2 元');
    expect(await w.branchChat.press('form:submit')).toContain('已设置团费类别：学生');

    const after = await w.memberChat.say('/fee');
    expect(after).toContain('团费类别：学生');
    expect(after).toContain('每月应交：0.2 元');
    expect(after).toContain('依据：中青发〔2016〕13号《关于中国共产主义青年团团费收缴、使用和管理的规定》第五条');
    expect(after).toContain('计费起点：2026年1月（本年年初）；截至 2026年12月共应交 2.4 元');
    expect(after).toContain('本年已交：无');
    expect(after).toContain('尚欠：2026年1-12月，共 12 个月，2.4 元');
    expect(await AuditLog.count({ where: { action: 'fee.profile.set', targetId: String(w.member.person.id) } })).toBe(1);
  });

  it('R20 a member recorded this month owes from this month only: no debt from before the system knew them', async () => {
    const w = await world();
    const fresh = await buildPerson(sys, { name: `新团员${w.n}`, branchId: w.branchA.id, password: 'Member2024x' });
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, fresh.person.id, { category: 'student' });
    const text = await (await loggedIn(fresh.idNumber, 'Member2024x')).say('/fee');
    expect(text).toContain('计费起点：2026年12月（在本系统登记的当月，此前的月份不计）');
    expect(text).toContain('尚欠：2026年12月，共 1 个月，0.2 元');
  });

  it('R20 an admin records a payment in chat (found by name, months read back with what is due, 自愿多交 allowed); it shows in /fee', async () => {
    const w = await world();
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    const first = await pay(w.branchChat, `王小团${w.n}`, '1-6月', 'fee-amt:120');
    expect(first.found).toContain(`团员：王小团${w.n}`);
    expect(first.monthsRead).toContain('交费月份：2026年1-6月（6 个月，应交 1.2 元）');
    expect(first.summary).toContain('实交金额：1.2 元（应交 1.2 元）');
    expect(first.done).toContain('已登记');

    // Less than due is refused and asked again; more is welcome.
    await w.branchChat.say('/fee_pay');
    await w.branchChat.say(`王小团${w.n}`);
    await w.branchChat.say('2026-07至2026-12');
    expect(await w.branchChat.say('1')).toContain('金额少于应交的 1.2 元（6 个月）');
    await w.branchChat.say('5');
    expect(await w.branchChat.press('fee-pay:skip')).toContain('自愿多交 3.8 元');
    await w.branchChat.press('form:submit');

    const fee = await w.memberChat.say('/fee');
    expect(fee).toContain('本年已交：2026年1-12月，共 6.2 元');
    expect(fee).toContain('尚欠：无，已交清');
    const rows = await FeePayment.findAll({ where: { personId: w.member.person.id }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.fromMonth, r.toMonth, r.amountFen, r.recordedByPersonId])).toEqual([
      ['2026-01', '2026-06', 120, w.branchAdmin.person.id],
      ['2026-07', '2026-12', 500, w.branchAdmin.person.id],
    ]);
    expect(await AuditLog.count({ where: { action: 'fee.payment.record', targetId: String(w.member.person.id) } })).toBe(2);
  });

  it('R20 months already paid cannot be paid twice, and months across New Year are two entries', async () => {
    const w = await world();
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    await pay(w.branchChat, `王小团${w.n}`, '3-4月', 'fee-amt:40');
    await w.branchChat.say('/fee_pay');
    await w.branchChat.say(`王小团${w.n}`);
    expect(await w.branchChat.say('1-6月')).toContain('2026年3-4月已交过团费；如原记录有误，请先冲正原记录');
    expect(await w.branchChat.say('2026-11至2027-02')).toContain('跨年交纳请按年度分成两笔登记');
    await w.branchChat.say('/cancel');
  });

  it('R20 a wrong payment is never edited: it is reversed by a negative entry naming it, audited, and the months are owed again', async () => {
    const w = await world();
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    await pay(w.branchChat, `王小团${w.n}`, '1-6月', '1.2');
    const original = (await FeePayment.findOne({ where: { personId: w.member.person.id } }))!;

    const card = await w.branchChat.send({ type: 'choice', value: `!fee:p:${w.member.person.id}` });
    expect(card[0].text).toContain(`第 ${original.id} 号 · 2026年1-6月 1.2 元`);
    expect(card[0].choices!.flat().map((c) => c.value)).toContain(`/fee_reverse ${original.id}`);

    expect(await w.branchChat.press(`/fee_reverse ${original.id}`)).toContain('请输入冲正原因');
    expect(await w.branchChat.say('金额录错')).toContain('确认冲正');
    expect(await w.branchChat.press('fee-rev:yes')).toContain(`已冲正第 ${original.id} 号`);

    const rows = await FeePayment.findAll({ where: { personId: w.member.person.id }, order: [['id', 'ASC']] });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: original.id, amountFen: 120, reversesId: null });
    expect(rows[1]).toMatchObject({ amountFen: -120, reversesId: original.id, fromMonth: '2026-01', toMonth: '2026-06', note: '金额录错' });
    const audit = (await AuditLog.findOne({ where: { action: 'fee.payment.reverse' }, order: [['id', 'DESC']] }))!;
    expect(JSON.parse(audit.after!)).toMatchObject({ paymentId: original.id, amount: '-1.2 元', reason: '金额录错' });
    expect(await w.memberChat.say('/fee')).toContain('尚欠：2026年1-12月，共 12 个月，2.4 元');

    // Once only; a reversal is not reversed; the months can be recorded again.
    await w.branchChat.say(`/fee_reverse ${original.id}`);
    await w.branchChat.say('再冲一次');
    expect(await w.branchChat.press('fee-rev:yes')).toContain('已经冲正过了');
    await expect(sys.services.fees.payments.reverse(w.branchAdmin.person.id, rows[1].id, '冲正冲正')).rejects.toThrow('不能再冲正');
    expect((await pay(w.branchChat, `王小团${w.n}`, '1-6月', 'fee-amt:120')).done).toContain('已登记');
    const history = await w.schoolChat.press(`!fee:p:${w.member.person.id}`);
    expect(history).toContain('已冲正');
    expect(history).toContain(`冲正第 ${original.id} 号（金额录错）`);
    expect(await w.schoolChat.say('/audit')).toContain('冲正团费记录');
  });

  it('R20 a member declares a wage; the branch admin is told and confirms it; /fee then shows 5,000 元 × 2‰ = 10 元', async () => {
    const w = await world();
    await w.memberChat.say('/fee_declare');
    await w.memberChat.press('fee-cat:wage');
    expect(await w.memberChat.say('5,000')).toContain('有工资收入（税后月收入 5,000 元）');
    expect(await w.memberChat.press('form:submit')).toContain('已提交申报');
    expect(await w.memberChat.say('/fee')).toContain('您已申报：有工资收入（税后月收入 5,000 元），待团支部管理员确认');

    const notice = (await OutboxMessage.findAll({ where: { personId: w.branchAdmin.person.id }, order: [['id', 'DESC']] })).map((m) =>
      JSON.parse(m.payload),
    )[0];
    expect(notice.text).toContain('申报团费类别：有工资收入（税后月收入 5,000 元）');
    const confirm = notice.choices[0][0].value as string;
    // Another subtree's admin cannot decide it, even holding the button.
    expect(await w.otherChat.press(confirm)).toContain('不在您管理的范围内');
    expect(await w.branchChat.press(confirm)).toContain('已确认');
    expect(await w.branchChat.press(confirm)).toContain('已经处理过了');

    const fee = await w.memberChat.say('/fee');
    expect(fee).toContain('团费类别：有工资收入（税后月收入 5,000 元）');
    expect(fee).toContain('每月应交：10 元');
    expect(fee).toContain('税后月收入2,000 元以下每月 3 元；2,000 元及以上按月收入的 2‰ 交纳，去尾取整到 1 元，每月最多 20 元');
  });

  it('R20 /fees: totals per organisation below, the owed list paged with buttons, and the export as a spreadsheet', async () => {
    const w = await world();
    const admin = w.schoolAdmin.person.id;
    const people: number[] = [];
    for (let i = 0; i < 12; i++) {
      const branchId = i < 8 ? w.branchA.id : w.branchB.id;
      const { person } = await buildPerson(sys, { name: `欠费${w.n}号${i}`, branchId });
      await recordedAt(person.id, '2025-01-01T00:00:00Z');
      await sys.services.fees.profiles.set(admin, person.id, i === 11 ? { category: 'wage', wageFen: 250_000 } : { category: 'student' });
      people.push(person.id);
    }
    await sys.services.fees.payments.record(admin, { personId: people[0], months: { from: '2026-01', to: '2026-12' }, amountFen: 240 });
    await sys.services.fees.payments.record(admin, { personId: people[11], months: { from: '2026-01', to: '2026-06' }, amountFen: 3000 });

    const summary = await w.schoolChat.say('/fees');
    expect(summary).toContain(`【团费收缴情况】${w.school.fullName}`);
    // 11 students + 1 wage earner at 2,500 元 (5 元) + the world's member with no category.
    expect(summary).toContain('团员 13 人：应交 86.4 元，已交 32.4 元，欠交 54 元（11 人欠交）；未设置类别 1 人');
    expect(summary).toContain(`${w.branchA.fullName}：团员 9 人：应交 19.2 元，已交 2.4 元，欠交 16.8 元（7 人欠交）；未设置类别 1 人`);
    expect(summary).toContain(`${w.branchB.fullName}：团员 4 人：应交 67.2 元，已交 30 元，欠交 37.2 元（4 人欠交）`);

    const first = await w.schoolChat.send({ type: 'choice', value: `!fee:w:${w.school.id}:0` });
    expect(first[0].text).toContain('共 12 人，第 1/2 页');
    expect(first[0].text.split('\n')[1]).toContain(`欠费${w.n}号11`); // most owed first: 6 months × 5 元
    expect(first[0].text).toContain('欠 2026年7-12月，30 元');
    const values = first[0].choices!.flat().map((c) => c.value);
    expect(values).toContain(`!fee:w:${w.school.id}:1`);
    const second = await w.schoolChat.press(`!fee:w:${w.school.id}:1`);
    expect(second).toContain('第 2/2 页');
    expect(second).toContain('金额未知（未设置团费类别）');

    const [exported] = await w.schoolChat.send({ type: 'choice', value: `!fee:x:${w.school.id}` });
    expect(exported.file!.name).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.file!.data as unknown as ArrayBuffer);
    const detail = wb.getWorksheet('团费明细')!;
    expect(detail.rowCount).toBe(14);
    const rows = detail
      .getSheetValues()
      .slice(2)
      .map((r) => (r as ExcelJS.CellValue[]).slice(1));
    const wage = rows.find((r) => r[0] === `欠费${w.n}号11`)!;
    expect(wage.slice(3)).toEqual(['有工资收入（税后月收入 2,500 元）', 5, 60, 30, '2026年1-6月', '2026年7-12月', 30]);
    const totals = wb.getWorksheet('按组织汇总')!.getRow(2).values as ExcelJS.CellValue[];
    expect(totals.slice(1, 8)).toEqual([`${w.school.fullName}（合计）`, 13, 86.4, 32.4, 54, 11, 1]);
  });

  it('R20 an admin cannot find, record, see or reverse payments of people outside its subtree (forged buttons too)', async () => {
    const w = await world();
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    const { payment } = await sys.services.fees.payments.record(w.branchAdmin.person.id, {
      personId: w.member.person.id,
      months: { from: '2026-01', to: '2026-03' },
      amountFen: 60,
    });
    const outsider = await buildPerson(sys, { name: `外单位${w.n}`, branchId: w.otherBranch.id });

    await w.otherChat.say('/fee_pay');
    expect(await w.otherChat.say(`王小团${w.n}`)).toContain('没有找到');
    expect(await w.otherChat.press(`fee-person:${w.member.person.id}`)).toContain('不在您管理的组织范围内');
    await w.otherChat.say('/cancel');
    for (const value of [
      `!fee:p:${w.member.person.id}`,
      `!fee:o:${w.school.id}`,
      `!fee:w:${w.branchA.id}:0`,
      `!fee:x:${w.branchA.id}`,
      `/fee_reverse ${payment.id}`,
      `/fee_pay ${w.member.person.id}`,
      `/fee_set ${w.member.person.id}`,
      `/fees ${w.branchA.id}`,
    ]) {
      const seen = await w.otherChat.press(value);
      expect({ value, leaked: seen.includes(`王小团${w.n}`) || seen.includes(w.branchA.fullName) }).toEqual({ value, leaked: false });
    }
    // A branch admin cannot act on the neighbouring branch either; the services refuse whatever the chat does.
    const neighbour = await buildPerson(sys, { name: `邻班${w.n}`, branchId: w.branchB.id });
    await expect(
      sys.services.fees.payments.record(w.branchAdmin.person.id, { personId: neighbour.person.id, months: { from: '2026-01', to: '2026-01' }, amountFen: 20 }),
    ).rejects.toThrow('不在您管理的组织范围内');
    await expect(
      sys.services.fees.payments.record(w.otherAdmin.person.id, { personId: w.member.person.id, months: { from: '2026-04', to: '2026-04' }, amountFen: 20 }),
    ).rejects.toThrow('不在您管理的组织范围内');
    await expect(sys.services.fees.payments.reverse(w.otherAdmin.person.id, payment.id, '恶意冲正')).rejects.toThrow('不在您管理的范围内');
    await expect(sys.services.fees.profiles.set(w.otherAdmin.person.id, w.member.person.id, { category: 'wage', wageFen: 100_000 })).rejects.toThrow(
      '不在您管理的组织范围内',
    );
    await expect(sys.services.fees.reports.summary(w.otherAdmin.person.id, w.school.id)).rejects.toThrow('不在您管理的范围内');
    // The school admin (above) may; the outsider stays unseen from the school.
    expect(await sys.services.fees.payers.find(w.schoolAdmin.person.id, `外单位${w.n}`)).toEqual([]);
    expect((await sys.services.fees.payers.find(w.otherAdmin.person.id, `外单位${w.n}`)).map((p) => p.id)).toEqual([outsider.person.id]);
    expect(await FeePayment.count({ where: { personId: w.member.person.id } })).toBe(1);
    // A member is not an admin at all.
    expect(await w.memberChat.say('/fee_pay')).toContain('只有组织管理员可以登记团费');
    expect(await w.memberChat.say('/fees')).toContain('只有组织管理员可以查看团费收缴情况');
  });

  it('R20 the owed-members query for reminders: each owing member with the amount and months, uncategorised left out, by subtree', async () => {
    const w = await world();
    const admin = w.schoolAdmin.person.id;
    const paid = await buildPerson(sys, { name: `交清${w.n}`, branchId: w.branchB.id });
    await recordedAt(paid.person.id, '2025-01-01T00:00:00Z');
    await sys.services.fees.profiles.set(admin, paid.person.id, { category: 'student' });
    await sys.services.fees.payments.record(admin, { personId: paid.person.id, months: { from: '2026-01', to: '2026-12' }, amountFen: 240 });
    await sys.services.fees.profiles.set(admin, w.member.person.id, { category: 'wage', wageFen: 1_000_100 });
    await sys.services.fees.payments.record(admin, { personId: w.member.person.id, months: { from: '2026-01', to: '2026-10' }, amountFen: 20_000 });
    const uncategorised = await buildPerson(sys, { name: `未设${w.n}`, branchId: w.branchB.id });

    const owing = [];
    for await (const o of sys.services.fees.owing(DEC_3, { orgId: w.school.id, batchSize: 1 })) owing.push(o);
    expect(owing).toEqual([{ personId: w.member.person.id, owedFen: 4000, months: ['2026-11', '2026-12'] }]);
    const everywhere: number[] = [];
    for await (const o of sys.services.fees.owing(DEC_3)) everywhere.push(o.personId);
    expect(everywhere).toContain(w.member.person.id);
    expect(everywhere).not.toContain(paid.person.id);
    expect(everywhere).not.toContain(uncategorised.person.id);
  });
});

describe('fee standards as data (R20)', () => {
  it('R20 the standard in force is seeded by the migration on every database, with its citation', async () => {
    const table = await sys.services.fees.standards.table();
    const applied = table.forMonth('student', '2026-12')!;
    expect(applied.standard).toMatchObject({ name: '中青发〔2016〕13号', title: '关于中国共产主义青年团团费收缴、使用和管理的规定', article: '第五条' });
    expect([table.dueFen('student', null, '2026-12'), table.dueFen('unemployed', null, '2026-12'), table.dueFen('relief', null, '2026-12')]).toEqual([
      20, 20, 20,
    ]);
    expect([199_900, 200_000, 249_900, 250_000, 1_000_000, 1_000_100].map((wage) => table.dueFen('wage', wage, '2026-12'))).toEqual([
      300, 400, 400, 500, 2000, 2000,
    ]);
  });

  it('R20 only admins of the top of the tree add a standard; it applies from its month and months before keep the old one', async () => {
    const w = await world();
    const central = await buildOrg(sys, { fullName: `共青团中央测试${w.n}`, kind: 'leading_body' });
    const top = await makeAdmin(sys, central.id, '中央管理');
    const topChat = await loggedIn(top.idNumber, top.password);
    const notTop = await makeAdmin(sys, w.city.id, '市级管理'); // the city is below this test's province
    await expect(sys.services.fees.standards.add(notTop.person.id, { name: 'x', title: 'y', validFrom: '2027-01', bands: [] })).rejects.toThrow('只有团中央');
    expect(await w.schoolChat.say('/fee_standard_add')).toContain('只有团中央');

    await topChat.say('/fee_standard_add');
    await topChat.say(`中青发〔2026〕${w.n}号`);
    await topChat.say('关于调整团费交纳标准的通知（测试）');
    await topChat.say('2027-01');
    await topChat.press('fee-cat:wage');
    await topChat.say('2000');
    await topChat.say('3');
    await topChat.say('3');
    await topChat.say('1');
    const summary = await topChat.say('30');
    expect(summary).toContain('有工资收入：税后月收入2,000 元以下每月 3 元；2,000 元及以上按月收入的 3‰ 交纳，去尾取整到 1 元，每月最多 30 元');
    expect(await topChat.press('form:submit')).toContain('2027-01 起执行');

    const table = await sys.services.fees.standards.table();
    expect(table.dueFen('wage', 1_000_000, '2026-12')).toBe(2000);
    expect(table.dueFen('wage', 1_000_000, '2027-01')).toBe(3000);
    expect(table.dueFen('student', null, '2027-01')).toBe(20);
    // A member's year under the new standard: January 2027 counts at 30 元, December 2026 stayed at 20.
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'wage', wageFen: 1_000_000 });
    expect(await sys.services.fees.own(w.member.person.id, new Date('2027-01-15T04:00:00Z'))).toMatchObject({ statement: { dueFen: 3000 } });
    expect(await sys.services.fees.own(w.member.person.id, DEC_3)).toMatchObject({ statement: { dueFen: 12 * 2000 } });
    const list = await w.memberChat.say('/fee_standard');
    expect(list).toContain(`中青发〔2026〕${w.n}号《关于调整团费交纳标准的通知（测试）》，2027-01 起执行`);
    expect(list).toContain('中青发〔2016〕13号');
  });
});
