import { ValueType as ExcelJSValueType } from 'exceljs';
import * as iconv from 'iconv-lite';
import { AuditLog, Person, Post } from '../../../../models';
import { ALREADY_REGISTERED_MESSAGE } from '../../../../server/services/membership/roster-import/rows/duplicates';
import { importRoster, type ImportOutcome, type ImportProgress } from '../../../../server/services/membership/roster-import/importer';
import { tooManyRowsMessage } from '../../../../server/services/membership/roster-import/file/reader';
import { buildTemplate, TEMPLATE_SHEET } from '../../../../server/services/membership/roster-import/template';
import { TEMPLATE_EXAMPLE_ID } from '../../../../server/services/membership/roster-import/rows/validate-row';
import { NOT_AN_ADMIN_MESSAGE } from '../../../../server/services/membership/roster-import/scope';
import { MEMBER_WITH_POST_MESSAGE } from '../../../../server/services/membership/roster-import/file/validate-file';
import { ZIP_MESSAGES } from '../../../../server/services/membership/roster-import/file/zip-guard';
import { TestChat } from '../../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../../helpers/fixtures/factories';
import { HEADERS, importFixture, loadWorkbook, memberRow, reportMessages, rosterCsv, rosterXlsx, type MemberRow } from '../../../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../../../helpers/system';
import { deflatedZeros, WORKBOOK_PARTS, writeZip } from './helpers';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const run = (
  actorPersonId: number,
  buffer: Buffer,
  fileName = '名单.xlsx',
  extra: { onProgress?: (p: ImportProgress) => void; maxRows?: number; rootOrgId?: number } = {},
) => importRoster(sys.services, { actorPersonId, source: { buffer, fileName }, ...extra });

function expectRows(r: ImportOutcome): Extract<ImportOutcome, { reason: 'rows' }> {
  if (r.ok || r.reason !== 'rows') throw new Error(`expected row errors, got ${JSON.stringify({ ...r, report: undefined })}`);
  return r;
}

describe('importRoster', () => {
  it('R7 R3 R16 a good file imports everyone with the initial password; one of them logs in with the last 8 ID characters and must change it', async () => {
    const f = await importFixture(sys, '甲');
    const rows = [
      memberRow(f.branchA.fullName, { 姓名: '李雷', 入团时间: new Date(Date.UTC(2020, 4, 4)) }),
      memberRow(f.branchA.fullName, { 姓名: '韩梅梅', 入团时间: '2020.9.1', 身份证号码: makeIdNumber('20060301').toLowerCase() }),
      memberRow(f.branchB.fullName, { 姓名: '阿依古丽·买买提', 民族: '维吾尔', 学历: '大学本科', 入团时间: '2021年5月4日' }),
      memberRow(f.branchB.fullName, { 姓名: '王书记', 政治面貌: '团干部', 职务: '团支部书记', 入团时间: '20190504', 手机号码: '+86 139-1234-5678' }),
    ];
    const progress: ImportProgress[] = [];
    const before = await Person.count();
    const r = await run(f.admin.person.id, await rosterXlsx(rows), '甲校名单.xlsx', { onProgress: (p) => void progress.push(p) });
    expect(r).toMatchObject({ ok: true, imported: 4, members: 3, cadres: 1, posts: 1 });
    expect(await Person.count()).toBe(before + 4);
    expect(progress).toContainEqual({ phase: 'reading', done: 4, total: 4 });
    expect(progress[progress.length - 1]).toEqual({ phase: 'saving', done: 4 });

    const ugur = (await sys.services.accounts.findByIdNumber(String(rows[2].身份证号码)))!;
    expect(ugur).toMatchObject({
      name: '阿依古丽·买买提',
      role: 'member',
      branchId: f.branchB.id,
      ethnicity: '维吾尔族',
      education: '本科',
      joinedLeagueAt: '2021-05-04',
      phone: '13800138000',
      birthDate: '2005-06-15',
      passwordHash: null,
      mustChangePassword: true,
      verificationState: 'pending',
    });
    // The columns every new account shares are written once per batch; they read back as any row's do.
    expect(Math.abs(new Date(ugur.createdAt).getTime() - Date.now())).toBeLessThan(60_000);
    expect(new Date(ugur.updatedAt).getTime()).toBe(new Date(ugur.createdAt).getTime());
    expect(ugur.idMasked).toBe(`${String(rows[2].身份证号码).slice(0, 6)}********${String(rows[2].身份证号码).slice(-4)}`);
    expect(sys.services.accounts.idNumberOf(ugur)).toBe(rows[2].身份证号码);
    // R16: every required profile field is filled, whatever the verification state.
    for (const row of rows) {
      const p = (await sys.services.accounts.findByIdNumber(String(row.身份证号码)))!;
      for (const field of ['name', 'gender', 'birthDate', 'phone', 'ethnicity', 'education', 'joinedLeagueAt', 'branchId'] as const)
        expect(p[field]).not.toBeNull();
    }
    const hanMeimei = (await sys.services.accounts.findByIdNumber(String(rows[1].身份证号码).toUpperCase()))!;
    expect(hanMeimei.joinedLeagueAt).toBe('2020-09-01');
    const secretary = (await sys.services.accounts.findByIdNumber(String(rows[3].身份证号码)))!;
    expect(secretary).toMatchObject({ role: 'cadre', phone: '13912345678', joinedLeagueAt: '2019-05-04' });
    expect(await Post.findAll({ where: { personId: secretary.id }, raw: true })).toMatchObject([{ orgId: f.branchB.id, title: '团支部书记' }]);

    const audit = await AuditLog.findAll({ where: { action: 'roster.import', orgId: f.school.id } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].after!)).toMatchObject({ fileName: '甲校名单.xlsx', imported: 4, cadres: 1 });
    for (const row of rows) expect(audit[0].after).not.toContain(String(row.身份证号码).slice(6, 14));

    const id = String(rows[0].身份证号码);
    const chat = new TestChat(sys);
    const login = await chat.login(id, id.slice(-8));
    expect(login).toContain('登录成功');
    expect(login).toContain('初始密码');
    expect(await chat.say('/me')).toContain('请先设置新密码');
  });

  it('R7 R11 R4 R1 a file with every kind of row error writes nothing; the report names each problem; fixed and re-sent, it imports', async () => {
    const f = await importFixture(sys, '乙');
    const { idNumber: registered } = await buildPerson(sys, { name: '赵已注', branchId: f.branchA.id });
    const a = f.branchA.fullName;
    const first = memberRow(a, { 姓名: '周一' });
    const wrongCheck = makeIdNumber('20050101');
    const cases: Array<[MemberRow, RegExp]> = [
      [memberRow(a, { 身份证号码: wrongCheck.slice(0, 17) + (wrongCheck[17] === '1' ? '2' : '1') }), /校验位不正确/],
      [memberRow(a, { 身份证号码: 110105200506151200 }), /存成了数字/],
      [memberRow(a, { 姓名: null }), /姓名未填写/],
      [
        memberRow(a.replace('第一中学', '第一中校')),
        new RegExp(`组织不存在：${a.replace('第一中学', '第一中校').replace(/[()（）]/g, '.')}，您是否要填写：${a.replace(/[()（）]/g, '.')}`),
      ],
      [memberRow(f.otherBranch.fullName), /不在您管理的组织范围内/],
      [memberRow(f.school.fullName), /是团委，不是团支部/],
      [memberRow(a, { 政治面貌: '党员' }), /政治面貌“党员”无法识别/],
      [memberRow(a, { 入团时间: '2999-01-01' }), /晚于今天/],
      [memberRow(a, { 入团时间: '去年五月' }), /不是可识别的日期/],
      [memberRow(a, { 手机号码: '12345' }), /手机号码“12345”不正确/],
      [memberRow(a, { 民族: '火星族' }), /民族“火星族”无法识别/],
      [memberRow(a, { 学历: '幼儿园' }), /学历“幼儿园”无法识别/],
      [memberRow(a, { 身份证号码: first.身份证号码 }), /与第 2 行身份证号码重复/],
      [memberRow(a, { 身份证号码: registered }), /已注册（不能重复注册）/],
      [memberRow(a, { 职务: '组织委员' }), new RegExp(MEMBER_WITH_POST_MESSAGE.slice(0, 12))],
      [memberRow(a, { 姓名: '=1+1' }), /姓名“=1\+1”不正确/],
      [memberRow(a, { 入团时间: '2001-01-01' }), /不晚于出生日期/],
    ];
    const before = await Person.count();
    const source = await rosterXlsx([first, ...cases.map(([row]) => row)]);
    const r = expectRows(await run(f.admin.person.id, source));
    expect(r).toMatchObject({ rowCount: cases.length + 1, errorCount: cases.length });
    expect(r.firstErrors.map((e) => e.rowNumber)).toEqual([3, 4, 5, 6, 7]);
    expect(await Person.count()).toBe(before);
    expect(await AuditLog.count({ where: { action: 'roster.import', orgId: f.school.id } })).toBe(0);

    const messages = await reportMessages(r.report);
    expect([...messages.keys()]).toEqual(cases.map((_, i) => i + 3));
    cases.forEach(([, pattern], i) => expect(messages.get(i + 3)).toMatch(pattern));
    const wb = await loadWorkbook(r.report);
    const ws = wb.worksheets[0];
    expect(ws.getCell(`A${cases.length + 1}`).value).toBe('=1+1'); // as typed, in a text cell: never a formula
    expect(ws.getCell(`A${cases.length + 1}`).type).toBe(ExcelJSValueType.String);
    expect((ws.getCell('F12').fill as { fgColor?: { argb?: string } })?.fgColor?.argb).toBe('FFFFC7CE'); // the wrong phone is red

    // The admin fixes the rows in the report itself (the 错误信息 column may stay) and sends it back.
    const col = (h: string) => HEADERS.indexOf(h as (typeof HEADERS)[number]) + 1;
    for (const rowNumber of messages.keys()) {
      const fixed = memberRow(a, { 姓名: `修${'一二三四五六七八九十'[rowNumber % 10]}` });
      for (const h of HEADERS) ws.getRow(rowNumber).getCell(col(h)).value = fixed[h] ?? null;
    }
    const fixedFile = Buffer.from(await wb.xlsx.writeBuffer());
    const again = await run(f.admin.person.id, fixedFile, '错误报告-名单.xlsx');
    expect(again).toMatchObject({ ok: true, imported: cases.length + 1 });
    expect(await Person.count()).toBe(before + cases.length + 1);
  });

  it('R7 round trip: the error report sent back as it is refuses only the rows that were wrong (+86 phones, a “-” 职务, formula-like text stay valid); fixed in place, it imports', async () => {
    const f = await importFixture(sys, '子');
    const a = f.branchA.fullName;
    const rows = [
      memberRow(a, { 姓名: '孙一', 手机号码: '+86 139 0951 0123', 职务: '-' }),
      memberRow(a, { 姓名: '孙二', 学历: '幼儿园' }),
      memberRow(a, { 姓名: '孙三', 手机号码: '-139-1234-5678', 职务: '—' }),
      memberRow(a, { 姓名: '孙四', 政治面貌: '团干部', 职务: '=组织委员' }),
      memberRow(a, { 姓名: '孙五', 政治面貌: '团干部', 职务: '@宣传委员', 手机号码: '+8613800138000' }),
    ];
    const first = expectRows(await run(f.admin.person.id, await rosterXlsx(rows)));
    expect(first.firstErrors.map((e) => e.rowNumber)).toEqual([3]);
    const again = expectRows(await run(f.admin.person.id, first.report, '错误报告-名单.xlsx'));
    expect(again.firstErrors).toEqual(first.firstErrors);
    expect(again.rowCount).toBe(rows.length);

    const wb = await loadWorkbook(again.report);
    wb.worksheets[0].getCell(`H3`).value = '本科';
    expect(await run(f.admin.person.id, Buffer.from(await wb.xlsx.writeBuffer()), '错误报告-名单.xlsx')).toMatchObject({
      ok: true,
      imported: 5,
      cadres: 2,
      posts: 2,
    });
    expect((await sys.services.accounts.findByIdNumber(String(rows[0].身份证号码)))?.phone).toBe('13909510123');
  });

  it('R11 branch full names match whatever the bracket width and spaces; R7 columns may come in any order under a title line', async () => {
    const f = await importFixture(sys, '丙');
    const halfWidth = await buildOrg(sys, { parentId: f.school.id, kind: 'branch', fullName: '共青团丙市第一中学高二(3)班团支部' });
    const headers = ['备注', '手机号码', '姓名 *', '学历', ' 身份证号码', '入团时间', '民族', '政治面貌', '所在团支部（必填）'];
    const rows = [
      { 备注: '转入', ...memberRow(f.branchA.fullName.replace('（', '(').replace('）', ')')) },
      memberRow(` ${f.branchB.fullName.replace('高一', '高一 ')} `),
      memberRow('共青团丙市第一中学高二（3）班团支部'),
    ].map((r) => ({ ...r, '姓名 *': r.姓名, ' 身份证号码': r.身份证号码, '所在团支部（必填）': r.所在团支部 }));
    const r = await run(f.admin.person.id, await rosterXlsx(rows, { headers, titleLines: ['丙市第一中学团员名单'] }));
    expect(r).toMatchObject({ ok: true, imported: 3 });
    const branchOf = async (row: MemberRow) => (await sys.services.accounts.findByIdNumber(String(row.身份证号码)))!.branchId;
    expect([await branchOf(rows[0]), await branchOf(rows[1]), await branchOf(rows[2])]).toEqual([f.branchA.id, f.branchB.id, halfWidth.id]);
  });

  it('R11 a branch written as people write it (brackets, its short name, the last part of its full name) gets the full name as a suggestion, from the branches in reach only', async () => {
    const { makeAdmin } = await import('../../../helpers/fixtures/admin-fixtures');
    const city = await buildOrg(sys, { fullName: '共青团示范市委员会', kind: 'leading_body' });
    const university = await buildOrg(sys, { parentId: city.id, fullName: '共青团宁夏示范大学委员会', shortName: '示范大学团委', kind: 'committee' });
    const school = await buildOrg(sys, {
      parentId: university.id,
      fullName: '共青团宁夏示范大学信息工程学院总支部委员会',
      shortName: '信息学院团总支',
      kind: 'general_branch',
    });
    const cs1 = await buildOrg(sys, {
      parentId: school.id,
      fullName: '共青团宁夏示范大学信息工程学院计算机科学（1）班支部委员会',
      shortName: '计科1班团支部',
      kind: 'branch',
    });
    const cs2 = await buildOrg(sys, {
      parentId: school.id,
      fullName: '共青团宁夏示范大学信息工程学院计算机科学（2）班支部委员会',
      shortName: '计科2班团支部',
      kind: 'branch',
    });
    const se = await buildOrg(sys, {
      parentId: school.id,
      fullName: '共青团宁夏示范大学信息工程学院软件工程班支部委员会',
      shortName: '软工班团支部',
      kind: 'branch',
    });
    const district = await buildOrg(sys, { parentId: city.id, fullName: '共青团示范市兴庆区委员会', kind: 'leading_body' });
    const community = await buildOrg(sys, {
      parentId: district.id,
      fullName: '共青团示范市兴庆区文化街社区支部委员会',
      shortName: '文化街社区团支部',
      kind: 'branch',
    });
    const admin = await makeAdmin(sys, school.id, '李总支');
    const typed = ['计算机科学(1)班支部', '计科1班团支部', '软件工程班支部委员会', '计算机科学（2）班支部委员会', '文化街社区支部委员会'];
    const r = expectRows(await run(admin.person.id, await rosterXlsx(typed.map((b) => memberRow(b)))));
    const messages = await reportMessages(r.report);
    expect([...messages.values()]).toEqual([
      `组织不存在：计算机科学(1)班支部，您是否要填写：${cs1.fullName}`,
      `组织不存在：计科1班团支部，您是否要填写：${cs1.fullName}`,
      `组织不存在：软件工程班支部委员会，您是否要填写：${se.fullName}`,
      `组织不存在：计算机科学（2）班支部委员会，您是否要填写：${cs2.fullName}`,
      '组织不存在：文化街社区支部委员会', // a branch out of reach is never suggested
    ]);
    expect(community.fullName).toContain('文化街社区支部委员会');
    // The admin of one class: the other class is out of reach, so it is never named.
    const classAdmin = await makeAdmin(sys, cs2.id, '刘班级');
    const own = expectRows(await run(classAdmin.person.id, await rosterXlsx([memberRow('计科1班团支部')])));
    expect(own.firstErrors[0].message).not.toContain(cs1.fullName);
  });

  it('R7 imports a CSV (UTF-8, as Excel saves it)', async () => {
    const f = await importFixture(sys, '丁');
    const rows = [
      memberRow(f.branchA.fullName, { 入团时间: '2019/5/4', 姓名: '钱 多多' }),
      memberRow(f.branchB.fullName, { 政治面貌: '团干部', 职务: '组织委员' }),
    ];
    expect(await run(f.admin.person.id, rosterCsv(rows), '名单.csv')).toMatchObject({ ok: true, imported: 2, posts: 1 });
    expect((await sys.services.accounts.findByIdNumber(String(rows[0].身份证号码)))!).toMatchObject({ name: '钱多多', joinedLeagueAt: '2019-05-04' });
  });

  it('R7 R1 a CSV saved by Excel on Chinese Windows (GBK, semicolons) imports; a legacy 15-digit ID number in a number cell is upgraded', async () => {
    const f = await importFixture(sys, '丑');
    const rows = [memberRow(f.branchA.fullName, { 姓名: '欧阳娜娜' }), memberRow(f.branchB.fullName, { 姓名: '王五', 政治面貌: '团干部', 职务: '组织委员' })];
    const text = rosterCsv(rows)
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .replace(/,/g, ';');
    expect(await run(f.admin.person.id, iconv.encode(text, 'gbk'), '名单.csv')).toMatchObject({ ok: true, imported: 2, posts: 1 });
    expect((await sys.services.accounts.findByIdNumber(String(rows[0].身份证号码)))?.name).toBe('欧阳娜娜');

    // A cadre holding a post (R24 keeps them whatever their age), born 1999, with a 15-digit ID number typed as a number.
    const legacy = memberRow(f.branchA.fullName, {
      姓名: '赵老号',
      身份证号码: 110105990615123,
      政治面貌: '团干部',
      职务: '团支部书记',
      入团时间: '2013-05-04',
    });
    expect(await run(f.admin.person.id, await rosterXlsx([legacy]))).toMatchObject({ ok: true, imported: 1 });
    expect((await sys.services.accounts.findByIdNumber('11010519990615123X'))?.name).toBe('赵老号');
  });

  it('R4 re-sending an imported file creates no duplicates: all registered → a plain "already imported"; some → those rows are errors', async () => {
    const f = await importFixture(sys, '戊');
    const rows = [memberRow(f.branchA.fullName), memberRow(f.branchB.fullName)];
    const file = await rosterXlsx(rows);
    expect(await run(f.admin.person.id, file)).toMatchObject({ ok: true, imported: 2 });
    const count = await Person.count();
    expect(await run(f.admin.person.id, file)).toEqual({
      ok: false,
      reason: 'already-imported',
      rowCount: 2,
      message: expect.stringContaining('2 人都已有账号'),
    });
    const mixed = expectRows(await run(f.admin.person.id, await rosterXlsx([memberRow(f.branchA.fullName), rows[1]])));
    expect(mixed).toMatchObject({ errorCount: 1, firstErrors: [{ rowNumber: 3, message: ALREADY_REGISTERED_MESSAGE }] });
    expect(await Person.count()).toBe(count);
  });

  it('R7 an admin imports only into its own subtree: a branch outside is a row error, another root is refused, a non-admin is refused', async () => {
    const f = await importFixture(sys, '己');
    const outside = expectRows(await run(f.admin.person.id, await rosterXlsx([memberRow(f.otherBranch.fullName)])));
    expect(outside.firstErrors[0].message).toContain(`“${f.otherBranch.fullName}”不在您管理的组织范围内`);
    await expect(run(f.admin.person.id, await rosterXlsx([memberRow(f.branchA.fullName)]), 'a.xlsx', { rootOrgId: f.other.id })).rejects.toThrow('无权');
    const { person } = await buildPerson(sys);
    await expect(run(person.id, await rosterXlsx([memberRow(f.branchA.fullName)]))).rejects.toThrow(NOT_AN_ADMIN_MESSAGE);
    // The province admin's subtree holds the county branch.
    const { makeAdmin } = await import('../../../helpers/fixtures/admin-fixtures');
    const top = await makeAdmin(sys, f.province.id, '孙省管');
    expect(await run(top.person.id, await rosterXlsx([memberRow(f.otherBranch.fullName)]))).toMatchObject({ ok: true, imported: 1 });
  });

  it('R4 the template sent back unchanged: row 2 is named as the example, not only 组织不存在', async () => {
    const f = await importFixture(sys, '辛');
    const r = expectRows(await run(f.admin.person.id, await buildTemplate({ maxRows: 500 }), '团员信息导入模板.xlsx'));
    expect(r).toMatchObject({ rowCount: 1, errorCount: 1, firstErrors: [{ rowNumber: 2, message: '第 2 行是模板中的示例，请删除后重新发送' }] });
    expect(await reportMessages(r.report)).toEqual(new Map([[2, '第 2 行是模板中的示例，请删除后重新发送']]));
  });

  it('R4 the example row kept, its branch filled down with real rows below: refused by its row number, nobody written; deleted, the rest imports and the example person has no account', async () => {
    const f = await importFixture(sys, '癸');
    const wb = await loadWorkbook(await buildTemplate({ maxRows: 500 }));
    const ws = wb.getWorksheet(TEMPLATE_SHEET)!;
    const people = [memberRow(f.branchA.fullName, { 姓名: '郑一' }), memberRow(f.branchA.fullName, { 姓名: '郑二' })];
    people.forEach((p, i) => (ws.getRow(3 + i).values = HEADERS.map((h) => p[h] ?? null)));
    ws.getCell('A2').value = '张晓明 '; // touched, and the branch filled down over the example's
    ws.getCell('C2').value = f.branchA.fullName;
    const before = await Person.count();
    const r = expectRows(await run(f.admin.person.id, Buffer.from(await wb.xlsx.writeBuffer())));
    expect(r).toMatchObject({ rowCount: 3, errorCount: 1, firstErrors: [{ rowNumber: 2, message: '第 2 行是模板中的示例，请删除后重新发送' }] });
    expect(await Person.count()).toBe(before);

    ws.spliceRows(2, 1);
    expect(await run(f.admin.person.id, Buffer.from(await wb.xlsx.writeBuffer()))).toMatchObject({ ok: true, imported: 2 });
    expect(await sys.services.accounts.findByIdNumber(TEMPLATE_EXAMPLE_ID)).toBeNull();
  });

  it('R24 a member of 28 or over without a league post, and a child under 14, are refused with the reason; a cadre with a post of 30 imports', async () => {
    const f = await importFixture(sys, '寅');
    const { birthYearsAgo } = await import('../../../helpers/fixtures/admin-fixtures');
    const now = new Date();
    const a = f.branchA.fullName;
    const rows = [
      memberRow(a, { 姓名: '钱老', 身份证号码: makeIdNumber(birthYearsAgo(now, 30)), 入团时间: '2010-05-04' }),
      memberRow(a, { 姓名: '钱小', 身份证号码: makeIdNumber(birthYearsAgo(now, 13)), 入团时间: birthYearsAgo(now, 1) }),
      memberRow(a, { 姓名: '钱书记', 身份证号码: makeIdNumber(birthYearsAgo(now, 30)), 入团时间: '2010-05-04', 政治面貌: '团干部', 职务: '团支部书记' }),
    ];
    const before = await Person.count();
    const r = expectRows(await run(f.admin.person.id, await rosterXlsx(rows)));
    expect(r.firstErrors.map((e) => e.rowNumber)).toEqual([2, 3]);
    expect(r.firstErrors[0].message).toMatch(/^已满 28 周岁（出生日期 \d{4}-\d{2}-\d{2}，来自身份证号码）且未担任团内职务，按规定应离团/);
    expect(r.firstErrors[1].message).toMatch(/^年龄不满 14 周岁/);
    expect(await Person.count()).toBe(before);
    expect(await run(f.admin.person.id, await rosterXlsx([rows[2]]))).toMatchObject({ ok: true, imported: 1, posts: 1 });
  });

  it('R7 refuses a zip bomb, a text file renamed .xlsx, too many rows and a missing column, each with a clear message', async () => {
    const f = await importFixture(sys, '庚');
    const before = await Person.count();
    const bomb = writeZip([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', deflated: await deflatedZeros(300), declaredSize: 1000 }]);
    expect(await run(f.admin.person.id, bomb)).toEqual({ ok: false, reason: 'format', message: ZIP_MESSAGES.suspiciousRatio });
    const text = Buffer.from('姓名,身份证号码\n张三,110105200506151236\n');
    expect(await run(f.admin.person.id, text, '名单.xlsx')).toEqual({ ok: false, reason: 'format', message: ZIP_MESSAGES.notXlsx });
    const three = await rosterXlsx([memberRow(f.branchA.fullName), memberRow(f.branchA.fullName), memberRow(f.branchA.fullName)]);
    expect(await run(f.admin.person.id, three, 'a.xlsx', { maxRows: 2 })).toEqual({ ok: false, reason: 'format', message: tooManyRowsMessage(2) });
    const noPhone = await rosterXlsx([memberRow(f.branchA.fullName)], { headers: HEADERS.filter((h) => h !== '手机号码') });
    expect(await run(f.admin.person.id, noPhone)).toMatchObject({ ok: false, reason: 'format', message: expect.stringContaining('缺少必填列：手机号码') });
    expect(await Person.count()).toBe(before);
  });
});
