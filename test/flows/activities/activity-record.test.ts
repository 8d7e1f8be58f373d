import { Activity, AuditLog } from '../../../models';
import { TestChat } from '../../helpers/chat';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';
import { renderedFor } from '../../helpers/notices';
import { GENERIC_ERROR } from '../../../flows/engine/runner';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** 2026-12-03 10:00 in Beijing (a Thursday). */
const THURSDAY_10AM = new Date('2026-12-03T02:00:00Z');
let tag = 0;

async function world() {
  sys.clock.now = THURSDAY_10AM;
  const tree = await buildTree(sys, `记${++tag}`);
  const branchAdmin = await makeAdmin(sys, tree.branchA.id, '支部管理');
  const branchChat = new TestChat(sys);
  await branchChat.login(branchAdmin.idNumber, branchAdmin.password);
  const schoolAdmin = await makeAdmin(sys, tree.school.id, '团委管理');
  const schoolChat = new TestChat(sys);
  await schoolChat.login(schoolAdmin.idNumber, schoolAdmin.password);
  const otherAdmin = await makeAdmin(sys, tree.otherBranch.id, '别处管理');
  const otherChat = new TestChat(sys);
  await otherChat.login(otherAdmin.idNumber, otherAdmin.password);
  return { ...tree, branchAdmin, branchChat, schoolAdmin, schoolChat, otherAdmin, otherChat };
}

/** Records one through the conversation, start and end as typed. */
async function record(chat: TestChat, title: string, start: string, end: string, kind = 'kind:league_day') {
  await chat.say('/activity');
  await chat.press(kind);
  await chat.say(title);
  const readBack = await chat.say(start);
  await (end.startsWith('end:') ? chat.press(end) : chat.say(end));
  await chat.say('团委会议室');
  await chat.press('act-form:skip');
  const summary = await chat.press('act-form:skip');
  const done = await chat.press('form:submit');
  return { readBack, summary, done, activity: (await Activity.findOne({ where: { title }, order: [['id', 'DESC']] }))! };
}

describe('recording meetings, lessons and league days (R18)', () => {
  it('R18 a branch admin records a league day in chat; times typed as people type them are read back in Beijing time', async () => {
    const w = await world();
    const { readBack, summary, done, activity } = await record(w.branchChat, '冬日暖心志愿服务', '明天下午3点', 'end:2小时');
    expect(readBack).toContain('开始时间：2026年12月4日（周五）15:00');
    expect(summary).toContain('时间：2026年12月4日（周五）15:00 至 2026年12月4日（周五）17:00');
    expect(summary).toContain(`组织：${w.branchA.fullName}`);
    expect(activity).toMatchObject({
      orgId: w.branchA.id,
      kind: 'league_day',
      place: '团委会议室',
      organiser: null,
      createdByPersonId: w.branchAdmin.person.id,
    });
    expect(activity.startsAt.toISOString()).toBe('2026-12-04T07:00:00.000Z');
    expect(activity.endsAt.toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(activity.signinCode).toMatch(/^\d{6}$/);
    expect(done).toContain('已记录');
    expect(done).toContain('选择参加人员');
    const audit = await AuditLog.findOne({ where: { action: 'activity.create', targetId: String(activity.id) } });
    expect(audit).not.toBeNull();
  });

  it('R18 buttons typed rather than tapped: 团课, 2小时, 跳过 and 提交 typed work as the presses (nothing is saved as the word 跳过)', async () => {
    const w = await world();
    await w.branchChat.say('/activity');
    await w.branchChat.say('团课');
    await w.branchChat.say('打字的团课');
    await w.branchChat.say('明天下午3点');
    await w.branchChat.say('2小时');
    await w.branchChat.say('跳过');
    await w.branchChat.say('跳过');
    const summary = await w.branchChat.say(' 跳过 ');
    expect(summary).toContain('请核对');
    // Text that names no button, even one an object has by inheritance, is text as before.
    for (const text of ['__proto__', 'constructor', 'toString']) expect(await w.branchChat.say(text)).not.toContain(GENERIC_ERROR);
    expect(summary).not.toContain('跳过');
    expect(await w.branchChat.say('✅ 提交')).toContain('已记录');
    const activity = (await Activity.findOne({ where: { title: '打字的团课' } }))!;
    expect(activity).toMatchObject({ kind: 'lesson', place: null, organiser: null, notes: null });
    expect(activity.endsAt.getTime() - activity.startsAt.getTime()).toBe(7_200_000);
  });

  it('R18 the other typed forms: 12月5日 14:00 and 2026-12-05 14:00, an end as a clock time; nonsense is asked again with an example', async () => {
    const w = await world();
    const a = await record(w.branchChat, '团课：青年与时代', '12月5日 14:00', '16:30', 'kind:lesson');
    expect(a.activity.startsAt.toISOString()).toBe('2026-12-05T06:00:00.000Z');
    expect(a.activity.endsAt.toISOString()).toBe('2026-12-05T08:30:00.000Z');
    const b = await record(w.branchChat, '支部团员大会', '2026-12-05 14:00', 'end:1小时', 'kind:branch_congress');
    expect(b.activity.startsAt.toISOString()).toBe('2026-12-05T06:00:00.000Z');

    await w.branchChat.say('/activity');
    await w.branchChat.press('kind:lesson');
    await w.branchChat.say('一堂团课');
    expect(await w.branchChat.say('找个时间')).toContain('没有看懂');
    expect(await w.branchChat.say('2030-01-01 10:00')).toContain('超过一年');
    await w.branchChat.say('下周五 9:00');
    expect(await w.branchChat.say('8:00')).toContain('结束时间应晚于开始时间');
    await w.branchChat.say('/cancel');
  });

  it('R18 a committee admin chooses which of its organisations, by button or by a name searched below it', async () => {
    const w = await world();
    const ask = await w.schoolChat.say('/activity');
    expect(ask).toContain('这项活动是哪个组织的');
    const found = await w.schoolChat.say('高一（2）');
    expect(found).toContain('找到以下组织');
    expect(await w.schoolChat.press(`org:${w.otherBranch.id}`)).toContain('只能为您管理的组织');
    expect(await w.schoolChat.press(`org:${w.branchB.id}`)).toContain(`组织：${w.branchB.fullName}`);
    await w.schoolChat.press('kind:committee_meeting');
    await w.schoolChat.say('支委会：部署年度工作');
    await w.schoolChat.say('周五 19:00');
    await w.schoolChat.press('end:1小时');
    await w.schoolChat.press('act-form:skip');
    await w.schoolChat.press('act-form:me');
    await w.schoolChat.say('请提前准备发言');
    await w.schoolChat.press('form:submit');
    const activity = (await Activity.findOne({ where: { title: '支委会：部署年度工作' } }))!;
    expect(activity).toMatchObject({ orgId: w.branchB.id, organiser: '团委管理', notes: '请提前准备发言', place: null });
    expect(await w.branchChat.say('/activity_edit ' + activity.id)).toContain('找不到这项活动');
  });

  it('R18 listed, viewed and corrected by the admins of that organisation and above, audited; told participants hear of a new time', async () => {
    const w = await world();
    const { activity } = await record(w.branchChat, '主题团日：学习党史', '12月10日 14:00', 'end:2小时');
    const list = await w.schoolChat.say('/activities');
    expect(list).toContain('即将开展');
    expect(list).toContain('主题团日：学习党史');
    expect(await w.schoolChat.say(`/activities ${activity.id}`)).toContain(`编号 ${activity.id}`);
    // Someone else's: the same answer as for one that does not exist.
    expect(await w.otherChat.say(`/activities ${activity.id}`)).toContain('找不到这项活动');
    expect(await w.otherChat.say(`/activities 999999`)).toContain('找不到这项活动');
    expect(await w.otherChat.press(`!av:l:${activity.id}`)).toContain('找不到这项活动');
    expect(await w.otherChat.say('/activities')).not.toContain('主题团日');

    const member = await buildPerson(sys, { name: '团员丙', branchId: w.branchA.id, password: 'Secret123' });
    const memberChat = new TestChat(sys);
    await memberChat.login(member.idNumber, 'Secret123');
    await sys.services.activityParticipants.add(w.branchAdmin.person.id, activity.id, [member.person.id]);
    expect(await w.branchChat.press(`!av:n:${activity.id}`)).toContain('已通知 1 人');

    await w.schoolChat.say(`/activity_edit ${activity.id}`);
    expect(await w.schoolChat.press('edit:startsAt')).toContain('开始时间');
    expect(await w.schoolChat.say('12月11日 9:00')).toContain('开始时间已修改。时间：2026年12月11日（周五）09:00 至 2026年12月11日（周五）11:00');
    await w.schoolChat.press('edit:place');
    await w.schoolChat.say('图书馆报告厅');
    expect(await w.schoolChat.press('edit:done')).toContain('地点：图书馆报告厅');

    const updates = await AuditLog.findAll({ where: { action: 'activity.update', targetId: String(activity.id) }, order: [['id', 'ASC']] });
    expect(updates).toHaveLength(2);
    expect(updates[0].actorPersonId).toBe(w.schoolAdmin.person.id);
    const audit = await w.branchChat.say('/audit');
    expect(audit).toContain('修改活动');
    expect(audit).toContain('开始时间');
    const notices = (await renderedFor(member.person.id)).map((m) => m.text);
    expect(notices.filter((t) => t.includes('【活动变更】'))).toHaveLength(2);
    expect(notices.at(-1)).toContain('图书馆报告厅');
  });

  it('R18 三会两制一课: each branch counts its month and quarter against the duty rules (data, with defaults); the list says what is due', async () => {
    const w = await world();
    const before = await sys.services.activities.duties(w.branchA.id, THURSDAY_10AM);
    expect(before.map((d) => [d.kind, d.period, d.times, d.done])).toEqual(
      expect.arrayContaining([
        ['committee_meeting', 'month', 1, 0],
        ['group_meeting', 'month', 1, 0],
        ['branch_congress', 'quarter', 1, 0],
        ['lesson', 'quarter', 1, 0],
      ]),
    );
    await record(w.branchChat, '本月支委会', '12月8日 19:00', 'end:1小时', 'kind:committee_meeting');
    await record(w.branchChat, '上月团课', '11月20日 19:00', 'end:1小时', 'kind:lesson'); // same quarter (Oct-Dec), not this month
    await record(w.branchChat, '下季度团员大会', '2027-01-05 19:00', 'end:1小时', 'kind:branch_congress');
    const after = await sys.services.activities.duties(w.branchA.id, THURSDAY_10AM);
    const done = Object.fromEntries(after.map((d) => [d.kind, d.done]));
    expect(done).toMatchObject({ committee_meeting: 1, group_meeting: 0, lesson: 1, branch_congress: 0 });
    const list = await w.branchChat.say('/activities');
    expect(list).toContain('本月：支部委员会 1/1 ✅，团小组会 0/1');
    expect(list).toContain('尚未开展：团小组会、支部团员大会');
  });
});
