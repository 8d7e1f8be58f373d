import { Person } from '../../../models';
import { birthYearsAgo, buildTree } from '../../helpers/fixtures/admin-fixtures';
import { buttonValue, joinSteps, loggedInAdmin, queuedFor, run } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
const START = new Date('2026-06-15T04:00:00Z');
beforeAll(async () => {
  sys = await createTestSystem();
});
beforeEach(() => {
  sys.clock.now = new Date(START); // set before each test, so a failed test that moved the clock leaves the next one unharmed
});
afterAll(() => sys.close());

let tags = 0;
const tree = () => buildTree(sys, `入${++tags}`);
const DAY = 86_400_000;

/** What the ID step answers for someone born on `birth`. */
async function idStep(birth: string): Promise<string> {
  const chat = new TestChat(sys);
  await chat.say('/join');
  return chat.say(makeIdNumber(birth));
}

describe('/join, 我要入团 (R9)', () => {
  it('R9 age 13 and 29 are refused at the ID number with clear messages; 14 and 28 go on', async () => {
    const now = sys.clock.now;
    const young = await idStep(birthYearsAgo(now, 14, 1));
    expect(young).toContain('未满 14 周岁');
    expect(young).toContain('13 周岁');
    const old = await idStep(birthYearsAgo(now, 29));
    expect(old).toContain('已超过 28 周岁');
    expect(await idStep(birthYearsAgo(now, 14))).toContain('姓名');
    expect(await idStep(birthYearsAgo(now, 29, 1))).toContain('姓名');
  });

  it('R9 the admin moves the application through every stage to admitted; the applicant follows it in /status and becomes a member', async () => {
    const t = await tree();
    const admin = await loggedInAdmin(sys, t.branchA.id, '冯支书');
    const chat = new TestChat(sys);
    const idNumber = makeIdNumber(birthYearsAgo(sys.clock.now, 16));
    await run(chat, joinSteps(idNumber, t.branchA));
    expect(await chat.press('form:submit')).toContain('入团申请已提交');
    const person = (await sys.services.accounts.findByIdNumber(idNumber))!;
    expect([person.role, person.branchId]).toEqual(['applicant', null]);

    // First move from the notification's button, the next ones from /applications and the reply's buttons.
    const notice = (await queuedFor(admin.person.id)).at(-1);
    expect(notice?.text).toContain('入团动机');
    sys.clock.advance(DAY);
    expect(await admin.chat.press(buttonValue(notice, '受理'))).toContain('已受理');
    sys.clock.advance(DAY);
    const list = await admin.chat.send({ type: 'command', name: 'applications', args: '' });
    expect(list[0].text).toContain('王小青');
    const shown = await admin.chat.send({ type: 'choice', value: list[0].choices![0][0].value });
    expect(shown[0].text).toContain('当前阶段：已受理');
    let reply = await admin.chat.send({ type: 'choice', value: buttonValue(shown[0], '入团积极分子') });
    sys.clock.advance(DAY);
    reply = await admin.chat.send({ type: 'choice', value: buttonValue(reply[0], '发展对象') });
    expect(reply[0].text).toContain('→ 发展对象');

    const status = await chat.say('/status');
    expect(status).toContain('当前阶段：发展对象');
    for (const line of [
      '2026-06-15 12:00　已提交（待审核）',
      '2026-06-16 12:00　已受理（已递交入团申请书）',
      '2026-06-17 12:00　入团积极分子',
      '2026-06-18 12:00　发展对象',
    ]) {
      expect(status).toContain(line);
    }
    expect(status).toContain('后续阶段：已入团');
    const news = (await queuedFor(person.id)).map((m) => m.text);
    expect(news).toHaveLength(3);
    expect(news[2]).toContain('发展对象');

    sys.clock.advance(DAY);
    expect((await admin.chat.send({ type: 'choice', value: buttonValue(reply[0], '批准入团') }))[0].text).toContain('已入团');
    const member = (await Person.findByPk(person.id))!;
    expect([member.role, member.branchId, member.joinedLeagueAt]).toEqual(['member', t.branchA.id, '2026-06-19']);
    expect((await queuedFor(person.id)).at(-1)?.text).toContain('祝贺您');
    expect(await chat.say('/status')).toContain('当前阶段：已入团');
    expect(await admin.chat.say('/applications')).toContain('没有待处理');
    // An old button from an earlier stage now says who decided and when.
    expect(await admin.chat.press(buttonValue(notice, '受理'))).toContain('冯支书');
  });

  it('R9 rejection at a later stage reaches the applicant with the reason', async () => {
    const t = await tree();
    const admin = await loggedInAdmin(sys, t.branchB.id);
    const chat = new TestChat(sys);
    await run(chat, joinSteps(makeIdNumber('20080808'), t.branchB));
    await chat.press('form:submit');
    const notice = (await queuedFor(admin.person.id)).at(-1);
    const accepted = await admin.chat.send({ type: 'choice', value: buttonValue(notice, '受理') });
    await admin.chat.press(buttonValue(accepted[0], '驳回'));
    expect(await admin.chat.say('年龄与在校情况需要核实')).toContain('未通过');
    expect(await chat.say('/status')).toContain('未通过理由：年龄与在校情况需要核实');
  });

  it('R4 /join refuses an ID number that has an account', async () => {
    const { idNumber } = await buildPerson(sys);
    expect(
      await (async () => {
        const chat = new TestChat(sys);
        await chat.say('/join');
        return chat.say(idNumber);
      })(),
    ).toContain('不能重复注册');
  });
});
