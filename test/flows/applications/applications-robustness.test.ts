import { GENERIC_ERROR } from '../../../flows/engine/runner';
import { Application } from '../../../models';
import { buildTree } from '../../helpers/fixtures/admin-fixtures';
import { buttonValue, checkinSteps, joinSteps, loggedInAdmin, queuedFor, registerSteps, run } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { makeIdNumber } from '../../helpers/fixtures/factories';
import { expectRobustAtEveryStep } from '../../helpers/fixtures/robustness';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
  sys.clock.now = new Date('2026-06-15T04:00:00Z');
});
afterAll(() => sys.close());

/** Every reply is an answer, never the generic failure. */
async function expectAnswered(chat: TestChat, value: string): Promise<string> {
  const text = value.startsWith('!') || !value.startsWith('/') ? await chat.press(value) : await chat.say(value);
  expect(text.trim()).not.toBe('');
  expect(text).not.toContain(GENERIC_ERROR);
  return text;
}

const STALE_ACTIONS = [
  '!app',
  '!app:',
  '!app:abc',
  '!app:1',
  '!app:99999:show',
  '!app:99999:submitted:approved',
  '!app:1:foo:bar',
  '!app:1:submitted:approved:x',
  '!app:-1:show',
];

describe('applications: /cancel, stray text and stale buttons at every step never crash (R8, R9, R9a)', () => {
  it('R8 /register', async () => {
    const t = await buildTree(sys, '稳甲');
    await expectRobustAtEveryStep(sys, registerSteps(makeIdNumber('20000101'), t.branchA));
    expect(await Application.count()).toBe(0);
  });

  it('R9 /join', async () => {
    const t = await buildTree(sys, '稳乙');
    await expectRobustAtEveryStep(sys, joinSteps(makeIdNumber('20080101'), t.branchA));
  });

  it('R9a /checkin', async () => {
    const t = await buildTree(sys, '稳丙');
    await expectRobustAtEveryStep(sys, checkinSteps(makeIdNumber('20010101'), '共青团某地委员会', t.branchA));
  });

  it('R4 R8 applying again from a rejected account', async () => {
    const t = await buildTree(sys, '稳戊');
    const admin = await loggedInAdmin(sys, t.branchA.id);
    const rejectedChat = async () => {
      const idNumber = makeIdNumber('20000101');
      const input = {
        idNumber,
        name: '李小红',
        joinedLeagueAt: '2016-09-01',
        role: 'member' as const,
        branchId: t.branchA.id,
        phone: '13800138000',
        password: 'Apply2024x',
      };
      const { app } = await sys.services.applications.registerMember(input);
      await sys.services.applications.decisions.move(admin.person.id, app.id, 'submitted', 'rejected');
      const chat = new TestChat(sys);
      await chat.login(idNumber, 'Apply2024x');
      return chat;
    };
    await expectRobustAtEveryStep(
      sys,
      [
        async (c) => expect(await c.say('/register')).toContain('请选择您的身份'),
        async (c) => expect(await c.press('role:member')).toContain('团支部'),
        async (c) => expect(await c.say(t.branchB.fullName.slice(3))).toContain('请点击选择'),
        async (c) => expect(await c.press(`org:${t.branchB.id}`)).toContain('请核对'),
      ],
      rejectedChat,
    );
  });

  it('the admin side: stale and forged buttons, the reject conversation, and a guest pressing them', async () => {
    const t = await buildTree(sys, '稳丁');
    const admin = await loggedInAdmin(sys, t.branchA.id);
    const applicant = new TestChat(sys);
    await run(applicant, registerSteps(makeIdNumber('20000101'), t.branchA));
    await applicant.press('form:submit');
    const notice = (await queuedFor(admin.person.id)).at(-1);
    const guest = new TestChat(sys);
    for (const value of [...STALE_ACTIONS, buttonValue(notice, '驳回'), '/app_reject', '/app_reject x y', '/app_reject 99999 submitted', '/applications']) {
      await expectAnswered(admin.chat, value);
      await expectAnswered(guest, value);
      await expectAnswered(applicant, value);
    }
    // The admin pressed 驳回 last but one, then /applications: the reject conversation was left, nothing decided.
    const app = (await Application.findOne({ order: [['id', 'DESC']] }))!;
    expect(app.stage).toBe('submitted');
    // Inside the reject conversation, each time on a new application (stray text is a valid reason).
    let latest = 0;
    const withNewApplication = async () => {
      const input = {
        idNumber: makeIdNumber('20000101'),
        name: '李小红',
        joinedLeagueAt: '2016-09-01',
        role: 'member' as const,
        branchId: t.branchA.id,
        phone: '13800138000',
        password: 'Apply2024x',
      };
      latest = (await sys.services.applications.registerMember(input)).app.id;
      return admin.chat;
    };
    await expectRobustAtEveryStep(sys, [async (c) => expect(await c.say(`/app_reject ${latest} submitted`)).toContain('驳回理由')], withNewApplication);
    expect((await Application.findByPk(app.id))!.stage).toBe('submitted');
    // Pressed by the guest and the applicant, 通过 does nothing; by the admin, once.
    expect(await expectAnswered(guest, buttonValue(notice, '通过'))).toContain('请先登录');
    expect(await expectAnswered(applicant, buttonValue(notice, '通过'))).toContain('无权');
    expect(await expectAnswered(admin.chat, buttonValue(notice, '通过'))).toContain('已通过');
    expect(await expectAnswered(admin.chat, buttonValue(notice, '通过'))).toContain('不能再次处理');
    expect(await expectAnswered(admin.chat, `/app_reject ${app.id} submitted`)).toContain('不能再次处理');
  });
});
