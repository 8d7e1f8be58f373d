import * as ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import type { Reply } from '../../../flows/engine/types';
import { BackgroundJob } from '../../../models';
import { MAX_JOB_ATTEMPTS } from '../../../server/services/platform/background-jobs';
import { CHART_WIDTH } from '../../../server/services/organisations/entry-progress/chart';
import { PROGRESS_SHEET_HEADER, PROGRESS_SHEET_HEADER_ROW } from '../../../server/services/organisations/entry-progress/sheet';
import { TestChat } from '../../helpers/chat';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { makeIdNumber } from '../../helpers/fixtures/factories';
import { finishJobs } from '../../helpers/jobs';
import { enterCadres, enterMembers, enterPerson, progressRoot } from '../../helpers/fixtures/progress';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const texts = (replies: Reply[]) => replies.map((r) => r.text).join('\n');
/** The line listing an organisation as incomplete, or undefined when it is not listed. */
const lineOf = (text: string, fullName: string) => text.split('\n').find((l) => l.includes(`${fullName}（`));
/** The button whose label contains `label`. */
const buttonOf = (reply: Reply, label: string) => reply.choices?.flat().find((c) => c.label.includes(label))?.value;
/** Organisations in the order the lists show them: by path (a subtree together). */
const byPath = <T extends { path: string }>(orgs: T[]) => [...orgs].sort((a, b) => (a.path < b.path ? -1 : 1));
/** A spreadsheet row's eight values, an empty cell as ''. */
const cells = (row: ExcelJS.Row) => Array.from({ length: PROGRESS_SHEET_HEADER.length }, (_, i) => row.getCell(i + 1).value ?? '');

describe('R17 completion at each boundary of each kind, through /progress', () => {
  it('R17 a branch needs 3 members or cadres: 2 is short by one, 3 is complete', async () => {
    const w = await progressRoot(sys, '支');
    const two = await w.org('branch');
    const three = await w.org('branch');
    await enterMembers(sys, two.id, 2);
    await enterMembers(sys, three.id, 2);
    await enterMembers(sys, three.id, 1, 'cadre');
    const text = await w.chat.say('/progress');
    expect(lineOf(text, two.fullName)).toMatch(/（团支部）：还差1名团员$/);
    expect(lineOf(text, three.fullName)).toBeUndefined();
    expect(text).toContain('· 团支部：已完成 1 个，未完成 1 个');
  });

  it.each([
    ['committee', '团委'],
    ['working_committee', '团工委'],
    ['general_branch', '团总支'],
  ] as const)('R17 a %s needs 2 cadres: 1 is short by one, 2 is complete', async (kind, label) => {
    const w = await progressRoot(sys, label);
    const one = await w.org(kind);
    const two = await w.org(kind);
    await enterCadres(sys, one.id, 1);
    await enterCadres(sys, two.id, 2);
    const text = await w.chat.say('/progress');
    expect(lineOf(text, one.fullName)).toMatch(new RegExp(`（${label}）：还差1名团干部$`));
    expect(lineOf(text, two.fullName)).toBeUndefined();
    expect(text).toContain(`· ${label}：已完成 1 个，未完成 1 个`);
  });

  it('R17 a leading body needs every cadre complete, and at least one: none is short, one is complete', async () => {
    const w = await progressRoot(sys, '机关');
    const none = await w.org('leading_body');
    const one = await w.org('leading_body');
    await enterCadres(sys, one.id, 1);
    const text = await w.chat.say('/progress');
    expect(lineOf(text, none.fullName)).toMatch(/（团的领导机关）：还差1名团干部$/);
    expect(lineOf(text, one.fullName)).toBeUndefined();
    // The root counts too: it has its cadre.
    expect(text).toContain('· 团的领导机关：已完成 2 个，未完成 1 个');
  });

  it('R17 R16 one incomplete person makes an organisation incomplete, told as 团员 or 团干部', async () => {
    const w = await progressRoot(sys, '缺');
    const memberShort = await w.org('branch');
    await enterMembers(sys, memberShort.id, 3);
    await enterPerson(sys, { branchId: memberShort.id, missing: ['ethnicity'] });
    const cadreShort = await w.org('branch');
    await enterMembers(sys, cadreShort.id, 3);
    await enterPerson(sys, { branchId: cadreShort.id, role: 'cadre', missing: ['education', 'phone'], posts: [[cadreShort.id, '团支部书记']] });
    const committee = await w.org('committee');
    await enterCadres(sys, committee.id, 2);
    await enterPerson(sys, { role: 'cadre', posts: [[committee.id, '组织委员']], missing: ['joinedLeagueAt'] });
    const leading = await w.org('leading_body');
    await enterCadres(sys, leading.id, 3);
    await enterPerson(sys, { role: 'member', posts: [[leading.id, '委员']], missing: ['phone'] });
    const text = await w.chat.say('/progress');
    expect(lineOf(text, memberShort.fullName)).toMatch(/：1名团员信息不完整$/);
    expect(lineOf(text, cadreShort.fullName)).toMatch(/：1名团干部信息不完整$/);
    expect(lineOf(text, committee.fullName)).toMatch(/：1名团干部信息不完整$/);
    // A post holder of a leading body is one of its cadres whatever their 政治面貌.
    expect(lineOf(text, leading.fullName)).toMatch(/：1名团干部信息不完整$/);
  });

  it('R17 short and incomplete at once is told both ways', async () => {
    const w = await progressRoot(sys, '双');
    const branch = await w.org('branch');
    await enterMembers(sys, branch.id, 1);
    await enterPerson(sys, { branchId: branch.id, missing: ['phone'] });
    expect(lineOf(await w.chat.say('/progress'), branch.fullName)).toMatch(/：还差1名团员；1名团员信息不完整$/);
  });

  it('R17 a person counts once however many posts they hold; a post holder from another branch counts; applicants do not', async () => {
    const w = await progressRoot(sys, '一次');
    const committee = await w.org('committee');
    await enterPerson(sys, {
      role: 'cadre',
      posts: [
        [committee.id, '书记'],
        [committee.id, '组织委员'],
      ],
    });
    const branch = await w.org('branch');
    const other = await w.org('branch');
    await enterMembers(sys, other.id, 3);
    // Two of its own (the secretary's post there counted once with the membership) and a post holder of the other branch.
    await enterMembers(sys, branch.id, 1);
    await enterPerson(sys, {
      branchId: branch.id,
      role: 'cadre',
      posts: [
        [branch.id, '团支部书记'],
        [branch.id, '组织委员'],
      ],
    });
    await enterPerson(sys, { branchId: branch.id, role: 'applicant' });
    let text = await w.chat.say('/progress');
    expect(lineOf(text, committee.fullName)).toMatch(/：还差1名团干部$/);
    expect(lineOf(text, branch.fullName)).toMatch(/：还差1名团员$/);
    await enterPerson(sys, { branchId: other.id, role: 'member', posts: [[branch.id, '宣传委员']] });
    text = await w.chat.say('/progress');
    expect(lineOf(text, branch.fullName)).toBeUndefined();
    expect(lineOf(text, other.fullName)).toBeUndefined();
  });

  it('R16 completeness does not depend on verification', async () => {
    const w = await progressRoot(sys, '认证');
    const branch = await w.org('branch');
    await enterMembers(sys, branch.id, 3);
    const { Person } = await import('../../../models');
    await Person.update({ verificationState: 'failed', verificationReason: '姓名与身份证号码不一致' }, { where: { branchId: branch.id } });
    expect(lineOf(await w.chat.say('/progress'), branch.fullName)).toBeUndefined();
  });
});

describe('/progress for an admin', () => {
  it('R17 an admin sees only its subtree; the admin of a sibling is refused, as for an organisation that does not exist', async () => {
    const t = await buildTree(sys, '进度权');
    const cityAdmin = await makeAdmin(sys, t.city.id, '周市');
    const chat = new TestChat(sys);
    await chat.login(cityAdmin.idNumber, cityAdmin.password);
    const text = await chat.say('/progress');
    expect(text).toContain(`【录入进度】${t.city.fullName}`);
    expect(text).toContain('共 4 个组织'); // city, school, two branches: not the county beside it
    expect(text).not.toContain(t.otherBranch.fullName);
    const siblingAdmin = await makeAdmin(sys, t.other.id, '吴县');
    const sibling = new TestChat(sys);
    await sibling.login(siblingAdmin.idNumber, siblingAdmin.password);
    const refused = await sibling.say(`/progress ${t.school.id}`);
    expect(refused).toBe('您不是该组织或其上级组织的管理员，无权查看其录入进度');
    expect(await sibling.say('/progress 99999999')).toBe(refused);
    expect(await sibling.press(`!progress:v:${t.school.id}:0`)).toBe(refused);
    expect(await sibling.press(`!progress:c:${t.school.id}`)).toBe(refused);
    expect(await sibling.press(`!progress:x:${t.school.id}`)).toBe(refused);
  });

  it('R17 an admin of several organisations picks one', async () => {
    const a = await progressRoot(sys, '多甲');
    const b = await progressRoot(sys, '多乙');
    await sys.services.admins.add(b.root.id, a.admin.person.id);
    const [pick] = await a.chat.send({ type: 'command', name: 'progress', args: '' });
    expect(pick.text).toContain('请选择要查看录入进度的组织');
    const value = buttonOf(pick, b.root.fullName.slice(-6))!;
    expect(await a.chat.press(value)).toContain(`【录入进度】${b.root.fullName}`);
  });

  it('R17 the incomplete list comes a page at a time, 下一页 and 上一页', async () => {
    const w = await progressRoot(sys, '分页');
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await w.org('branch'));
    const branches = byPath(made);
    const [first] = await w.chat.send({ type: 'command', name: 'progress', args: '' });
    expect(first.text).toContain('第 1/2 页，共 12 个');
    expect(first.text).toContain(`1. ${branches[0].fullName}（团支部）：还差3名团员`);
    expect(first.text).not.toContain(branches[10].fullName);
    expect(buttonOf(first, '上一页')).toBeUndefined();
    const [second] = await w.chat.send({ type: 'choice', value: buttonOf(first, '下一页')! });
    expect(second.text).toContain('第 2/2 页，共 12 个');
    expect(second.text).toContain(`11. ${branches[10].fullName}`);
    expect(second.text).toContain(`12. ${branches[11].fullName}`);
    expect(buttonOf(second, '下一页')).toBeUndefined();
    expect(await w.chat.press(buttonOf(second, '上一页')!)).toContain('第 1/2 页');
    // A page past the end (organisations completed since) shows the last one.
    expect(await w.chat.press(`!progress:v:${w.root.id}:9`)).toContain('第 2/2 页');
  });

  it('R17 the chart is a PNG, 1000 px wide, one bar for each organisation directly below', async () => {
    const w = await progressRoot(sys, '图表');
    const school = await w.org('committee');
    await enterCadres(sys, school.id, 2);
    const branch = await w.org('branch', school.id);
    await enterMembers(sys, branch.id, 3);
    await w.org('branch', school.id);
    await w.org('working_committee');
    const [view] = await w.chat.send({ type: 'command', name: 'progress', args: '' });
    const [chart] = await w.chat.send({ type: 'choice', value: buttonOf(view, '图表')! });
    expect(chart.text).toContain('录入完成比例');
    expect(chart.file!.mime).toBe('image/png');
    expect(chart.file!.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const png = PNG.sync.read(chart.file!.data);
    expect(png.width).toBe(CHART_WIDTH);
    expect(png.height).toBe(120 + 2 * 36 + 50); // two children
    // A branch has nothing below it: no chart button, and a pressed one says why.
    const branchAdmin = await makeAdmin(sys, branch.id, '郑支部');
    const branchChat = new TestChat(sys);
    await branchChat.login(branchAdmin.idNumber, branchAdmin.password);
    const [own] = await branchChat.send({ type: 'command', name: 'progress', args: '' });
    expect(own.text).toContain('所有组织均已完成录入');
    expect(buttonOf(own, '图表')).toBeUndefined();
    expect(await branchChat.press(`!progress:c:${branch.id}`)).toContain('没有下级组织');
  });

  it('R17 the spreadsheet lists every organisation of the subtree with its reason', async () => {
    const w = await progressRoot(sys, '表格');
    const school = await w.org('committee');
    await enterCadres(sys, school.id, 2);
    const done = await w.org('branch', school.id);
    await enterMembers(sys, done.id, 3);
    const short = await w.org('branch', school.id);
    await enterMembers(sys, short.id, 1);
    const [view] = await w.chat.send({ type: 'command', name: 'progress', args: '' });
    const [sheet] = await w.chat.send({ type: 'choice', value: buttonOf(view, '导出表格')! });
    expect(sheet.text).toContain('共 4 个组织');
    expect(sheet.file!.name).toMatch(/^录入进度-.+\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sheet.file!.data as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect((ws.getRow(PROGRESS_SHEET_HEADER_ROW).values as unknown[]).slice(1)).toEqual(PROGRESS_SHEET_HEADER);
    const rows = [];
    for (let r = PROGRESS_SHEET_HEADER_ROW + 1; r <= ws.rowCount; r++) rows.push(cells(ws.getRow(r)));
    const [third, fourth] = byPath([done, short]);
    const expected = (org: typeof done) =>
      org === done ? [done.fullName, '团支部', 3, 0, 0, '是', ''] : [short.fullName, '团支部', 1, 0, 0, '否', '还差2名团员'];
    expect(rows).toEqual([
      [1, w.root.fullName, '团的领导机关', 1, 0, 0, '是', ''],
      [2, school.fullName, '团委', 2, 0, 0, '是', ''],
      [3, ...expected(third)],
      [4, ...expected(fourth)],
    ]);
  });

  it('R17 a large subtree is exported by a background job, its progress in one message, the file sent when done', async () => {
    const w = await progressRoot(sys, '后台');
    for (let i = 0; i < 3; i++) await w.org('branch');
    sys.services.entryProgress.inlineExportMax = 3;
    try {
      const replies = await w.chat.send({ type: 'choice', value: `!progress:x:${w.root.id}` }, 880_001);
      expect(texts(replies)).toMatch(/组织较多（共 4 个），正在后台生成录入进度表（任务编号 \d+）/);
      // The same update again (a redelivery) queues nothing new.
      await w.chat.send({ type: 'choice', value: `!progress:x:${w.root.id}` }, 880_001);
      expect(await BackgroundJob.count({ where: { kind: 'progress-export' } })).toBe(1);
      const told = await finishJobs(sys, w.chat);
      expect(told).toHaveLength(1);
      expect(told[0].text).toContain('已生成');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(told[0].file!.data as unknown as ArrayBuffer);
      expect(wb.worksheets[0].rowCount).toBe(PROGRESS_SHEET_HEADER_ROW + 4);
      expect(w.chat.progress.at(-1)).toContain('已生成，共 4 个组织');
      expect(await BackgroundJob.findOne({ where: { kind: 'progress-export' } })).toMatchObject({ status: 'done' });
      expect(await w.chat.say('/jobs')).toContain('已生成，共 4 个组织');
    } finally {
      sys.services.entryProgress.inlineExportMax = 2000;
    }
  });

  it('R17 an export interrupted again and again is given up and its admin told in its own words', async () => {
    const w = await progressRoot(sys, '中断');
    const { id } = await sys.services.backgroundJobs.enqueue({
      kind: 'progress-export',
      actorPersonId: w.admin.person.id,
      channel: 'test',
      chatId: w.chat.userId,
      title: '录入进度表：中断县团委',
      params: { orgId: w.root.id },
    });
    for (let i = 0; i < MAX_JOB_ATTEMPTS; i++) {
      expect((await sys.services.backgroundJobs.claimNext(`dead-${i}`, 1000))?.id).toBe(id);
      sys.clock.advance(1001);
    }
    const told = await finishJobs(sys, w.chat);
    expect(texts(told)).toBe('“录入进度表：中断县团委”多次被服务重启打断，未能生成。请稍后发送 /progress 重新点击“导出表格”；如果一再出现，请联系系统管理员。');
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'failed' });
    expect(await w.chat.say('/jobs')).toContain('多次被服务重启打断，未生成');
  });

  it('R17 a member who administers nothing is told /progress is for admins', async () => {
    const t = await buildTree(sys, '进度员');
    const idNumber = makeIdNumber('20000101');
    await sys.services.accounts.create({ idNumber, name: '钱团员', role: 'member', branchId: t.branchA.id, password: 'Member2024x' });
    const chat = new TestChat(sys);
    await chat.login(idNumber, 'Member2024x');
    expect(await chat.say('/progress')).toBe('只有组织管理员可以查看录入进度。');
  });
});

describe('/me', () => {
  it('R16 /me says whether one’s own profile is complete, and what is missing', async () => {
    const t = await buildTree(sys, '完整');
    const idNumber = makeIdNumber('20000102');
    await sys.services.accounts.create({
      idNumber,
      name: '冯完整',
      role: 'member',
      branchId: t.branchA.id,
      password: 'Member2024x',
      phone: '13912345678',
      joinedLeagueAt: '2016-05-04',
    });
    const chat = new TestChat(sys);
    await chat.login(idNumber, 'Member2024x');
    expect(await chat.say('/me')).toContain('尚缺：民族、学历');
    const { Person } = await import('../../../models');
    await Person.update({ ethnicity: '汉族', education: '本科' }, { where: { name: '冯完整' } });
    const me = await chat.say('/me');
    expect(me).toContain('信息完整');
    expect(me).not.toContain('尚缺');
  });
});
