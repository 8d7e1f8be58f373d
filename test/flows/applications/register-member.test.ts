import { Application, Person } from '../../../models';
import { buildTree } from '../../helpers/fixtures/admin-fixtures';
import { buttonValue, loggedInAdmin, queuedFor, registerSteps, run } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
  sys.clock.now = new Date('2026-06-15T04:00:00Z');
});
afterAll(() => sys.close());

let tags = 0;
const tree = () => buildTree(sys, `注${++tags}`);

/** A guest registers into `branch` through /register and submits; returns the chat and the account. */
async function registered(branch: Parameters<typeof registerSteps>[1]) {
  const idNumber = makeIdNumber('20000101');
  const chat = new TestChat(sys);
  await run(chat, registerSteps(idNumber, branch));
  const done = await chat.press('form:submit');
  expect(done).toContain('已提交');
  const person = (await sys.services.accounts.findByIdNumber(idNumber))!;
  return { chat, person, idNumber, done };
}

describe('/register, 团员团干部注册 (R8)', () => {
  it('R8 full path: register → the branch admin gets 通过/驳回 → approve → the applicant is placed and told', async () => {
    const t = await tree();
    const admin = await loggedInAdmin(sys, t.branchA.id, '周支书');
    const { chat, person, done } = await registered(t.branchA);
    expect(done).toContain('已为您创建账号并登录');
    expect(chat.deletions).toBe(2); // both password messages
    expect(chat.menus.at(-1)).toBe('member');
    // Until approved the account is in no branch.
    expect(person.branchId).toBeNull();
    expect(await chat.say('/me')).toContain('（未分配）');
    expect(await chat.say('/status')).toContain('已提交（待审核）');

    const notice = (await queuedFor(admin.person.id)).at(-1);
    expect(notice?.text).toContain('李小红');
    expect(notice?.text).toContain(t.branchA.fullName);
    const approved = await admin.chat.press(buttonValue(notice, '通过'));
    expect(approved).toContain('已通过');
    expect((await Person.findByPk(person.id))!.branchId).toBe(t.branchA.id);
    expect((await queuedFor(person.id)).at(-1)?.text).toContain('已通过');
    expect(await chat.say('/me')).toContain(t.branchA.fullName);

    // The same button again, or 驳回 now, says who decided it and when.
    const again = await admin.chat.press(buttonValue(notice, '通过'));
    expect(again).toContain('周支书');
    expect(again).toContain('2026-06-15 12:00');
    expect(again).toContain('不能再次处理');
    expect(await admin.chat.press(buttonValue(notice, '驳回'))).toContain('不能再次处理');
  });

  it('R8 members who joined on or after 2020-01-01 are told their branch must add them, and the conversation ends', async () => {
    const t = await tree();
    const chat = new TestChat(sys);
    const steps = registerSteps(makeIdNumber('20050101'), t.branchA, '2020-01-01');
    await run(chat, steps.slice(0, 3));
    const refused = await chat.say('2020-01-01');
    expect(refused).toContain('不能自行注册');
    expect(refused).toContain('团支部管理员');
    expect(await chat.say('团员')).toContain('/start'); // nothing goes on
  });

  it('R8 reject asks the admin for a reason and tells the applicant; the default reason is one press', async () => {
    const t = await tree();
    const admin = await loggedInAdmin(sys, t.branchA.id);
    const first = await registered(t.branchA);
    const notice = (await queuedFor(admin.person.id)).at(-1);
    expect(await admin.chat.press(buttonValue(notice, '驳回'))).toContain('请输入驳回理由');
    expect(await admin.chat.say('a')).toContain('至少 2 个字');
    const rejected = await admin.chat.say('本支部没有这位团员的记录');
    expect(rejected).toContain('未通过');
    expect((await queuedFor(first.person.id)).at(-1)?.text).toContain('本支部没有这位团员的记录');
    expect(await first.chat.say('/status')).toContain('未通过理由：本支部没有这位团员的记录');
    expect((await Person.findByPk(first.person.id))!.branchId).toBeNull();
    expect(await admin.chat.press(buttonValue(notice, '通过'))).toContain('不能再次处理');

    const second = await registered(t.branchA);
    const notice2 = (await queuedFor(admin.person.id)).at(-1);
    await admin.chat.press(buttonValue(notice2, '驳回'));
    expect(await admin.chat.press('reject:default')).toContain('请与该团支部联系');
    expect((await Application.findOne({ where: { personId: second.person.id } }))!.stage).toBe('rejected');
  });

  it('R8 only an admin of the branch or above may decide: others are refused, and learn nothing of the application', async () => {
    const t = await tree();
    const admin = await loggedInAdmin(sys, t.branchA.id);
    const stranger = await loggedInAdmin(sys, t.other.id, '吴外人');
    const { chat, person } = await registered(t.branchA);
    const notice = (await queuedFor(admin.person.id)).at(-1);
    for (const button of ['通过', '驳回']) {
      for (const presser of [stranger.chat, chat]) {
        // an admin elsewhere, and the applicant themself
        const answer = await presser.press(buttonValue(notice, button));
        expect(answer).toContain('无权查看和审核');
        expect(answer).not.toContain(t.branchA.fullName);
      }
    }
    expect(await stranger.chat.say('/applications')).toContain('没有待处理');
    expect((await Person.findByPk(person.id))!.branchId).toBeNull();
  });

  it('R4 R8 after a rejection the same account applies again from its chat, to another branch, without a second account', async () => {
    const t = await tree();
    const adminA = await loggedInAdmin(sys, t.branchA.id);
    const adminB = await loggedInAdmin(sys, t.branchB.id);
    const { chat, person } = await registered(t.branchA);
    // While the first application waits, nothing else can be started.
    expect(await chat.say('/register')).toContain('正在办理');
    await adminA.chat.press(buttonValue((await queuedFor(adminA.person.id)).at(-1), '驳回'));
    await adminA.chat.press('reject:default');
    const people = await Person.count();
    const again = await chat.say('/register');
    expect(again).toContain('身份信息和密码无需再填');
    expect(again).toContain('请选择您的身份');
    expect(await chat.press('role:cadre')).toContain('团支部');
    await chat.say(t.branchB.fullName.slice(3));
    const summary = await chat.press(`org:${t.branchB.id}`);
    expect(summary).toContain('请核对');
    expect(summary).toContain(person.idMasked);
    expect(summary).not.toContain('登录密码');
    expect(await chat.press('form:submit')).toContain('注册申请已提交');
    expect(await Person.count()).toBe(people);
    expect((await Person.findByPk(person.id))!.role).toBe('cadre');
    await adminB.chat.press(buttonValue((await queuedFor(adminB.person.id)).at(-1), '通过'));
    expect((await Person.findByPk(person.id))!.branchId).toBe(t.branchB.id);
    const status = await chat.say('/status');
    expect(status).toContain('共 2 份');
    // Now placed: no further registration.
    expect(await chat.say('/register')).toContain('不能重复注册');
    expect(await chat.say('/join')).toContain('不能重复注册');
  });

  it('R4 an ID number that has an account is refused at once, with the way out', async () => {
    const t = await tree();
    const { idNumber } = await buildPerson(sys, { branchId: t.branchA.id });
    const chat = new TestChat(sys);
    await chat.say('/register');
    const refused = await chat.send({ type: 'text', text: idNumber });
    expect(refused[0].text).toContain('不能重复注册');
    expect(refused[0].text).toContain('/login');
    expect(refused[0].text).toContain('后 8 位');
    expect(refused[0].choices?.flat().map((c) => c.value)).toContain('/login');
    expect(await chat.say('李小红')).toContain('/start');
    // A logged-in user cannot start another registration either.
    const logged = new TestChat(sys);
    await logged.login(idNumber, idNumber.slice(-8));
    await logged.say('Newpass2024');
    await logged.say('Newpass2024');
    expect(await logged.say('/register')).toContain('不能重复注册');
  });
});
