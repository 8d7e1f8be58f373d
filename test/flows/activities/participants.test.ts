import crypto from 'node:crypto';
import { ActivityParticipant, OutboxMessage, Person } from '../../../models';
import { MAX_PARTICIPANTS } from '../../../server/services/activities/activity-participants';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';
import { renderedFor } from '../../helpers/notices';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const HOUR = 3_600_000;
let tag = 0;

/** `n` members of a branch written directly (no accounts: picking reads only the roster). */
async function members(branchId: number, n: number, prefix: string): Promise<number[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    idCipher: 'x',
    idHash: crypto.randomBytes(32).toString('hex'),
    idMasked: `110101********${String(i).padStart(4, '0')}`,
    name: `${prefix}${i}`,
    gender: 'F' as const,
    birthDate: '2004-01-01',
    role: 'member' as const,
    branchId,
    mustChangePassword: true,
  }));
  const made = await Person.bulkCreate(rows, { returning: true });
  return made.map((p) => p.id);
}

async function world() {
  const tree = await buildTree(sys, `选${++tag}`);
  const branchAdmin = await makeAdmin(sys, tree.branchA.id, '支部管理');
  const branchChat = new TestChat(sys);
  await branchChat.login(branchAdmin.idNumber, branchAdmin.password);
  const schoolAdmin = await makeAdmin(sys, tree.school.id, '团委管理');
  const schoolChat = new TestChat(sys);
  await schoolChat.login(schoolAdmin.idNumber, schoolAdmin.password);
  const now = sys.clock.now.getTime();
  const activity = (org: number, by: number) =>
    sys.services.activities.create(by, {
      orgId: org,
      kind: 'league_day',
      title: `团日${tag}`,
      startsAt: new Date(now + 48 * HOUR),
      endsAt: new Date(now + 50 * HOUR),
    });
  return { ...tree, branchAdmin, branchChat, schoolAdmin, schoolChat, activity };
}

const picked = async (activityId: number) => (await ActivityParticipant.findAll({ where: { activityId } })).map((p) => p.personId).sort((a, b) => a - b);

describe('picking participants (R18)', () => {
  it('R18 a branch admin picks from its own branch: one by one, by name, with a running count; ticking again unpicks', async () => {
    const w = await world();
    const activity = await w.activity(w.branchA.id, w.branchAdmin.person.id);
    const [a, b] = await members(w.branchA.id, 2, '甲');
    const [outsider] = await members(w.branchB.id, 1, '乙');
    const view = await w.branchChat.say(`/participants ${activity.id}`);
    expect(view).toContain(`已选 0 / ${MAX_PARTICIPANTS} 人`);
    expect(view).toContain(w.branchA.fullName);
    expect(await w.branchChat.press(`pick:p:${a}`)).toContain('已选中，现已选 1 人');
    const search = await w.branchChat.say('甲1');
    expect(search).toContain('找到以下人员');
    expect(await w.branchChat.press(`pick:p:${b}`)).toContain('现已选 2 人');
    expect(await w.branchChat.press(`pick:p:${a}`)).toContain('已取消选择，现已选 1 人');
    expect(await picked(activity.id)).toEqual([b]);
    // Someone of the sibling branch is not found, and a forged button for them is refused.
    expect(await w.branchChat.say('乙0')).toContain('没有找到');
    expect(await w.branchChat.press(`pick:p:${outsider}`)).toContain('只能选择本活动所属组织及其下级组织的人员');
    expect(await w.branchChat.press(`pick:all:${w.branchB.id}`)).toContain('只能选择本活动所属组织及其下级组织的人员');
    expect(await w.branchChat.press(`pick:go:${w.school.id}`)).toContain('只能选择本活动所属组织及其下级组织的人员');
    expect(await picked(activity.id)).toEqual([b]);
    // The branch admin cannot touch the picker of an activity of the school at all.
    const schools = await w.activity(w.school.id, w.schoolAdmin.person.id);
    expect(await w.branchChat.say(`/participants ${schools.id}`)).toContain('找不到这项活动');
    expect(await w.branchChat.press(`pick:done`)).toContain('已选定 1 名参加人员');
  });

  it('R18 a committee admin picks from its organisation and every one below it, a whole branch at once (全选)', async () => {
    const w = await world();
    const activity = await w.activity(w.school.id, w.schoolAdmin.person.id);
    const inA = await members(w.branchA.id, 5, '丙');
    const inB = await members(w.branchB.id, 3, '丁');
    const [elsewhere] = await members(w.otherBranch.id, 1, '戊');
    const top = await w.schoolChat.say(`/participants ${activity.id}`);
    expect(top).toContain('下级组织 2 个');
    expect(await w.schoolChat.press(`pick:go:${w.branchA.id}`)).toContain(`当前组织：${w.branchA.fullName}`);
    expect(await w.schoolChat.press(`pick:all:${w.branchA.id}`)).toContain('新增 5 人，现已选 5 人');
    // Again: nobody twice.
    expect(await w.schoolChat.press(`pick:all:${w.branchA.id}`)).toContain('新增 0 人，现已选 5 人');
    expect(await w.schoolChat.press(`pick:go:${w.school.id}`)).toContain('已选 5 / 1000 人');
    expect(await w.schoolChat.press(`pick:all:${w.school.id}`)).toContain('现已选 8 人');
    expect(await w.schoolChat.press(`pick:p:${elsewhere}`)).toContain('只能选择');
    expect(await picked(activity.id)).toEqual([...inA, ...inB].sort((x, y) => x - y));
    expect(await w.schoolChat.press('pick:list')).toContain('已选 8 人');
  });

  it(`R18 at most ${MAX_PARTICIPANTS} people: 全选 over the limit is refused with the counts, one more by hand too, and two at once never pass it`, async () => {
    const w = await world();
    const activity = await w.activity(w.school.id, w.schoolAdmin.person.id);
    const many = await buildOrg(sys, { parentId: w.school.id, kind: 'branch', fullName: `共青团选${tag}大支部` });
    await members(many.id, 600, '己');
    await members(w.branchB.id, 401, '庚');
    await w.schoolChat.say(`/participants ${activity.id}`);
    const whole = await w.schoolChat.press(`pick:all:${w.school.id}`);
    expect(whole).toContain('每项活动最多 1000 人：已选 0 人，这次要加的 1001 人会超过上限');
    expect(await picked(activity.id)).toEqual([]);
    expect(await w.schoolChat.press(`pick:all:${many.id}`)).toContain('现已选 600 人');
    expect(await w.schoolChat.press(`pick:all:${w.branchB.id}`)).toContain('已选 600 人，这次要加的 401 人会超过上限（还能再选 400 人）');
    const inB = (await Person.findAll({ where: { branchId: w.branchB.id }, order: [['id', 'ASC']] })).map((p) => p.id);
    await sys.services.activityParticipants.add(w.schoolAdmin.person.id, activity.id, inB.slice(0, 400));
    expect(await w.schoolChat.press(`pick:p:${inB[400]}`)).toContain('已选 1000 人，这次要加的 1 人会超过上限');
    expect(await ActivityParticipant.count({ where: { activityId: activity.id } })).toBe(1000);

    // Two 全选 of 600 at once on a fresh activity: exactly one is taken.
    const fresh = await w.activity(w.school.id, w.schoolAdmin.person.id);
    const bigB = await buildOrg(sys, { parentId: w.school.id, kind: 'branch', fullName: `共青团选${tag}二支部` });
    await members(bigB.id, 600, '辛');
    const both = await Promise.allSettled([many.id, bigB.id].map((org) => sys.services.activityParticipants.addOrg(w.schoolAdmin.person.id, fresh.id, org)));
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await ActivityParticipant.count({ where: { activityId: fresh.id } })).toBe(600);
  });

  it('R19 participants are told through the outbox with 报名 / 不参加; their answers reach the organiser; a stranger cannot answer', async () => {
    const w = await world();
    const activity = await w.activity(w.branchA.id, w.branchAdmin.person.id);
    const yes = await buildPerson(sys, { name: '报名者', branchId: w.branchA.id, password: 'Secret123' });
    const no = await buildPerson(sys, { name: '请假者', branchId: w.branchA.id, password: 'Secret123' });
    const away = await buildPerson(sys, { name: '未登录', branchId: w.branchA.id });
    const stranger = await buildPerson(sys, { name: '旁人', branchId: w.branchB.id, password: 'Secret123' });
    const chats = await Promise.all(
      [yes, no, stranger].map(async (p) => {
        const c = new TestChat(sys);
        await c.login(p.idNumber, 'Secret123');
        return c;
      }),
    );
    await w.branchChat.say(`/participants ${activity.id}`);
    await w.branchChat.press(`pick:all:${w.branchA.id}`);
    const told = await w.branchChat.press(`!av:n:${activity.id}`);
    // The branch admin holds no membership there: the three members are the list.
    expect(told).toContain('已通知 2 人');
    expect(told).toContain('1 人还没有在任何聊天中登录');
    const [invite] = await renderedFor(yes.person.id);
    expect(invite.text).toContain('【活动通知】');
    expect(invite.choices![0]).toEqual([
      { label: '报名', value: `!act:r:${activity.id}` },
      { label: '不参加', value: `!act:d:${activity.id}` },
    ]);
    expect(await OutboxMessage.count({ where: { personId: away.person.id } })).toBe(0);
    // Pressing again tells nobody twice.
    expect(await w.branchChat.press(`!av:n:${activity.id}`)).toContain('已通知 0 人（此前已通知 2 人）');
    expect(await OutboxMessage.count({ where: { personId: yes.person.id } })).toBe(1);

    expect(await chats[0].press(`!act:r:${activity.id}`)).toContain('已报名');
    expect(await chats[1].press(`!act:d:${activity.id}`)).toContain('您不参加');
    expect(await chats[2].press(`!act:r:${activity.id}`)).toContain('不在这项活动的参加人员名单中');
    const list = await w.branchChat.press(`!av:l:${activity.id}`);
    expect(list).toContain('报名 1 人，不参加 1 人，未答复 1 人');
    expect(list).toContain('报名者（已报名）');
    expect(list).toContain('请假者（不参加）');
  });
});
