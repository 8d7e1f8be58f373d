import { Admin } from '../../../models';
import type { Organisation } from '../../../models/Organisation';
import { birthYearsAgo, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { expectRobustAtEveryStep } from '../../helpers/fixtures/robustness';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

let n = 0;
/** A branch with a long, unique full name. */
const longBranch = () =>
  buildOrg(sys, { kind: 'branch', fullName: `共青团宁夏回族自治区银川市兴庆区第${++n}中学高二年级（3）班团支部`, shortName: `银川${n}中高二3班团支部` });

/** Searches and presses the organisation's button. */
async function pickOrg(chat: TestChat, org: Organisation): Promise<string> {
  const found = await chat.send({ type: 'text', text: org.fullName.slice(-18) });
  const values = found
    .flatMap((r) => r.choices ?? [])
    .flat()
    .map((c) => c.value);
  expect(values).toContain(`org:${org.id}`);
  return chat.press(`org:${org.id}`);
}

/** Walks a guest to the password step. */
async function fillUntilPassword(chat: TestChat, org: Organisation, idNumber: string, joined = '2012-05-04') {
  await chat.say('/register_admin');
  await pickOrg(chat, org);
  expect(await chat.say(org.adminCode)).toContain('身份证号码');
  expect(await chat.say(idNumber)).toContain('姓名');
  expect(await chat.say('马小军')).toContain('入团时间');
  expect(await chat.say(joined)).toContain('手机号码');
  expect(await chat.say('13912345678')).toContain('设置登录密码');
}

describe('/register_admin (R6)', () => {
  it('R6 a guest registers, is logged in and gets the admin menu', async () => {
    const org = await longBranch();
    const chat = new TestChat(sys);
    expect(await chat.say('/start')).toBeTruthy();
    expect(chat.menus.at(-1)).toBe('guest');
    expect(await chat.say('/register_admin')).toContain('团组织名称');
    const results = await chat.send({ type: 'text', text: '兴庆区' });
    expect(results[0].text).toContain('…'); // long names are shortened in the list …
    expect(results[0].text).not.toContain(org.fullName);
    const full = await chat.press('org-full'); // … and shown whole on demand
    expect(full).toContain(org.fullName);
    expect(await chat.press(`org:${org.id}`)).toContain('管理员注册码');
    expect(await chat.say('WRONG123')).toContain('注册码不正确');
    expect(await chat.say(org.adminCode.toLowerCase() === org.adminCode ? org.adminCode.toUpperCase() : org.adminCode.toLowerCase())).toContain('注册码不正确');
    const idNumber = makeIdNumber(birthYearsAgo(sys.clock.now, 22));
    expect(await chat.say(org.adminCode)).toContain('身份证号码');
    expect(await chat.say('马小军')).toMatch(/18 位/); // not an ID number: asked again
    expect(await chat.say(idNumber)).toContain('姓名');
    expect(await chat.say('M')).toContain('汉字');
    expect(await chat.say('马小军')).toContain('入团时间');
    expect(await chat.say('去年')).toContain('2016-09-01');
    expect(await chat.say('2015年5月4日')).toContain('手机号码');
    expect(await chat.say('110')).toContain('11 位');
    expect(await chat.say('139-1234-5678')).toContain('设置登录密码');
    const deletionsBefore = chat.deletions;
    expect(await chat.say('short')).toContain('8-64');
    expect(await chat.say('Passw0rd2024')).toContain('再输入一次');
    expect(await chat.say('Passw0rd2025')).toContain('不一致');
    expect(await chat.say('Passw0rd2024')).toContain('再输入一次');
    const done = await chat.say('Passw0rd2024');
    expect(chat.deletions - deletionsBefore).toBe(5); // every password message deleted
    expect(done).toContain('注册成功');
    expect(done).toContain(org.fullName);
    expect(done).not.toContain(idNumber);
    expect(chat.menus.at(-1)).toBe('admin');
    const me = await chat.say('/me');
    expect(me).toContain('马小军');
    expect(me).toContain('管理的组织');
    expect(await chat.say('/help')).toContain('/add_member');
    // The password chosen works from another chat, with no forced change.
    const other = new TestChat(sys);
    expect(await other.login(idNumber, 'Passw0rd2024')).toContain('欢迎回来');
  });

  it('R4 an ID number already registered is refused with the way out', async () => {
    const org = await longBranch();
    const { idNumber } = await buildPerson(sys);
    const chat = new TestChat(sys);
    await chat.say('/register_admin');
    await pickOrg(chat, org);
    await chat.say(org.adminCode);
    const replies = await chat.send({ type: 'text', text: idNumber });
    expect(replies[0].text).toContain('不能重复注册');
    expect(replies[0].text).toContain('/login');
    expect(replies[0].choices?.flat().map((c) => c.value)).toContain('/login');
    expect(await chat.say('马小军')).toContain('/start'); // the conversation ended
  });

  it('R6 13 is refused, 14 allowed, 13 allowed when joined before 2016-09-01', async () => {
    const org = await longBranch();
    const now = sys.clock.now;
    const refused = new TestChat(sys);
    await refused.say('/register_admin');
    await pickOrg(refused, org);
    await refused.say(org.adminCode);
    await refused.say(makeIdNumber(birthYearsAgo(now, 13)));
    await refused.say('马小军');
    expect(await refused.say('2025-05-04')).toContain('14 周岁');
    expect(await refused.say('13912345678')).toContain('/start'); // ended
    await fillUntilPassword(new TestChat(sys), org, makeIdNumber(birthYearsAgo(now, 14)), '2025-05-04');
    await fillUntilPassword(new TestChat(sys), org, makeIdNumber(birthYearsAgo(now, 13)), '2016-08-31');
    const eleven = new TestChat(sys);
    await eleven.say('/register_admin');
    await pickOrg(eleven, org);
    await eleven.say(org.adminCode);
    expect(await eleven.say(makeIdNumber(birthYearsAgo(now, 11)))).toContain('12 周岁');
  });

  it('R6 wrong codes are limited per chat user in the conversation', async () => {
    const org = await longBranch();
    const chat = new TestChat(sys);
    await chat.say('/register_admin');
    await pickOrg(chat, org);
    for (let i = 0; i < 5; i++) expect(await chat.say('Wrong123')).toContain('注册码不正确');
    expect(await chat.say(org.adminCode)).toContain('后再试');
    sys.clock.advance(31_000);
    expect(await chat.say(org.adminCode)).toContain('身份证号码');
  });

  it('R6 a third admin is refused as soon as the organisation is picked', async () => {
    const org = await longBranch();
    for (let i = 0; i < 2; i++) {
      const chat = new TestChat(sys);
      await fillUntilPassword(chat, org, makeIdNumber(birthYearsAgo(sys.clock.now, 30)));
      await chat.say('Passw0rd2024');
      expect(await chat.say('Passw0rd2024')).toContain('注册成功');
    }
    const third = new TestChat(sys);
    await third.say('/register_admin');
    expect(await pickOrg(third, org)).toContain('最多两位');
  });

  it('R6 two registrations finished at the same moment never make a third admin', async () => {
    const org = await longBranch();
    const first = await sys.services.adminRegistration.registerAdmin({
      orgId: org.id,
      code: org.adminCode,
      clientKey: 'test:x',
      idNumber: makeIdNumber(birthYearsAgo(sys.clock.now, 30)),
      name: '先来者',
      joinedLeagueAt: '2010-01-01',
      phone: '13912345678',
      password: 'Passw0rd2024',
    });
    expect(first.created).toBe(true);
    const chats = [new TestChat(sys), new TestChat(sys)];
    for (const chat of chats) {
      await fillUntilPassword(chat, org, makeIdNumber(birthYearsAgo(sys.clock.now, 30)));
      await chat.say('Passw0rd2024');
    }
    const outcomes = await Promise.all(chats.map((c) => c.say('Passw0rd2024')));
    expect(outcomes.filter((t) => t.includes('注册成功'))).toHaveLength(1);
    expect(outcomes.filter((t) => t.includes('最多两位'))).toHaveLength(1);
    expect(await Admin.count({ where: { orgId: org.id } })).toBe(2);
  });

  it('R6 a code rotated mid-way is asked again, keeping what was typed', async () => {
    const org = await longBranch();
    const chat = new TestChat(sys);
    await fillUntilPassword(chat, org, makeIdNumber(birthYearsAgo(sys.clock.now, 30)));
    const { person: admin } = await makeAdmin(sys, org.id);
    const fresh = await sys.services.adminCodes.rotate(admin.id, org.id);
    await chat.say('Passw0rd2024');
    const refused = await chat.say('Passw0rd2024');
    expect(refused).toContain('注册码不正确');
    expect(refused).toContain('请输入该组织的管理员注册码');
    expect(await chat.say(fresh)).toContain('设置登录密码');
    await chat.say('Passw0rd2024');
    expect(await chat.say('Passw0rd2024')).toContain('注册成功');
  });

  it('R6 a logged-in user registers with their own account right after the code', async () => {
    const committee = await buildOrg(sys, { kind: 'committee', fullName: '共青团银川市第九中学委员会', shortName: '银川九中团委' });
    const { idNumber } = await buildPerson(sys, { name: '周老师', password: 'Teacher2024', role: 'cadre' });
    const chat = new TestChat(sys);
    await chat.login(idNumber, 'Teacher2024');
    expect(chat.menus.at(-1)).toBe('member');
    expect(await chat.say('/register_admin')).toContain('当前账号');
    await pickOrg(chat, committee);
    const done = await chat.say(committee.adminCode);
    expect(done).toContain('注册成功');
    expect(chat.menus.at(-1)).toBe('admin');
  });

  it('/cancel, stray text and stale buttons at every step never crash', async () => {
    const org = await longBranch();
    const idNumber = makeIdNumber(birthYearsAgo(sys.clock.now, 20));
    await expectRobustAtEveryStep(sys, [
      async (c) => expect(await c.say('/register_admin')).toContain('团组织名称'),
      async (c) => expect(await c.say(org.fullName.slice(-18))).toContain('请点击选择'),
      async (c) => expect(await c.press(`org:${org.id}`)).toContain('管理员注册码'),
      async (c) => expect(await c.say(org.adminCode)).toContain('身份证号码'),
      async (c) => expect(await c.say(idNumber)).toContain('姓名'),
      async (c) => expect(await c.say('马小军')).toContain('入团时间'),
      async (c) => expect(await c.say('2014-05-04')).toContain('手机号码'),
      async (c) => expect(await c.say('13912345678')).toContain('设置登录密码'),
      async (c) => expect(await c.say('Passw0rd2024')).toContain('再输入一次'),
    ]);
    expect(await Admin.count({ where: { orgId: org.id } })).toBe(0);
  }, 120_000);
});
