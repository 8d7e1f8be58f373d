import { Application, Person } from '../../../models';
import { buildTree } from '../../helpers/fixtures/admin-fixtures';
import { buttonValue, checkinSteps, loggedInAdmin, queuedFor, run } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
  sys.clock.now = new Date('2026-06-15T04:00:00Z');
});
afterAll(() => sys.close());

let tags = 0;
const tree = () => buildTree(sys, `流${++tags}`);

describe('/checkin, 流动团员报到 (R9a)', () => {
  it('R9a the local admin confirms; the record keeps the home and the current organisation, both shown in /status', async () => {
    const t = await tree();
    const home = await buildOrg(sys, { kind: 'committee', fullName: '共青团甘肃省某某县第一中学委员会' });
    const admin = await loggedInAdmin(sys, t.branchB.id);
    const chat = new TestChat(sys);
    const idNumber = makeIdNumber('20010101');
    const steps = checkinSteps(idNumber, '共青团甘肃省某某县第一中学委员会', t.branchB);
    await run(chat, steps.slice(0, 4));
    expect(await chat.say('共青团甘肃省 某某县第一中学委员会')).toContain('已在系统中找到该组织');
    await run(chat, steps.slice(5));
    expect(await chat.press('form:submit')).toContain('报到申请已提交');
    const person = (await sys.services.accounts.findByIdNumber(idNumber))!;
    expect([person.role, person.branchId, person.joinedLeagueAt]).toEqual(['member', null, '2015-05-04']);

    const notice = (await queuedFor(admin.person.id)).at(-1);
    expect(notice?.text).toContain('团籍所在地');
    expect(await admin.chat.press(buttonValue(notice, '确认报到'))).toContain('已确认报到');
    expect((await Person.findByPk(person.id))!.branchId).toBe(t.branchB.id);
    const app = (await Application.findOne({ where: { personId: person.id } }))!;
    expect([app.homeOrgId, app.orgId, app.stage]).toEqual([home.id, t.branchB.id, 'confirmed']);
    const status = await chat.say('/status');
    expect(status).toContain(`团籍所在地：${home.fullName}`);
    expect(status).toContain(`现所在组织（报到团支部）：${t.branchB.fullName}`);
    expect((await queuedFor(person.id)).at(-1)?.text).toContain('流动团员报到已确认');
  });

  it('R9a a home organisation not in the system is kept as typed, and the admin is asked to check it', async () => {
    const t = await tree();
    const admin = await loggedInAdmin(sys, t.branchA.id);
    const chat = new TestChat(sys);
    const steps = checkinSteps(makeIdNumber('20020202'), '共青团远方某地委员会', t.branchA);
    await run(chat, steps.slice(0, 4));
    expect(await chat.say('共青团远方某地委员会')).toContain('系统中暂未找到该组织');
    await run(chat, steps.slice(5));
    await chat.press('form:submit');
    expect((await queuedFor(admin.person.id)).at(-1)?.text).toContain('系统内未找到此组织，请核实');
    await admin.chat.press(buttonValue((await queuedFor(admin.person.id)).at(-1), '驳回'));
    await admin.chat.press('reject:default');
    expect(await chat.say('/status')).toContain('团籍所在地：共青团远方某地委员会');
  });

  it('R4 /checkin refuses an ID number that has an account', async () => {
    const { idNumber } = await buildPerson(sys);
    const chat = new TestChat(sys);
    await chat.say('/checkin');
    expect(await chat.say(idNumber)).toContain('不能重复注册');
  });
});
