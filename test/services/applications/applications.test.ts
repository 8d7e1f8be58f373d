import { Application, AuditLog, OutboxMessage, Person } from '../../../models';
import { ForbiddenError, UserError } from '../../../server/errors';
import { birthYearsAgo, buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { queuedFor } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
const START = new Date('2026-06-15T04:00:00Z'); // noon in China: birthdays are exact
beforeAll(async () => {
  sys = await createTestSystem();
});
beforeEach(() => {
  sys.clock.now = new Date(START); // set before each test, so a failed test that moved the clock leaves the next one unharmed
});
afterAll(() => sys.close());

let tags = 0;
const tree = () => buildTree(sys, `服${++tags}`);
const apps = () => sys.services.applications;
const registration = (branchId: number, over: Partial<{ idNumber: string; joinedLeagueAt: string }> = {}) => ({
  idNumber: over.idNumber ?? makeIdNumber('20000101'),
  name: '李小红',
  joinedLeagueAt: over.joinedLeagueAt ?? '2016-09-01',
  role: 'member' as const,
  branchId,
  phone: '13800138000',
  password: 'Apply2024x',
});
const joining = (branchId: number, birth: string) => ({
  idNumber: makeIdNumber(birth),
  name: '王小青',
  phone: '13900139000',
  branchId,
  statement: '我志愿加入中国共产主义青年团。',
  password: 'Apply2024x',
});
const expectUserError = async (p: Promise<unknown>, code: string) => {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).code).toBe(code);
  return err as UserError;
};

describe('applications (R8, R9, R9a)', () => {
  it('R8 self-registration makes an account with no branch and tells the branch admins, with buttons', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.branchA.id);
    await new TestChat(sys).login(admin.idNumber, admin.password); // notifications go to logged-in chats
    const { person, app } = await apps().registerMember(registration(t.branchA.id));
    expect(person.branchId).toBeNull(); // no member rights in the branch before approval
    expect(person.role).toBe('member');
    expect(app.stage).toBe('submitted');
    const [notice] = await queuedFor(admin.person.id);
    expect(notice.text).toContain('李小红');
    expect(notice.text).toContain(person.idMasked);
    expect(notice.choices!.flat().map((c) => c.label)).toEqual(['通过', '驳回']);
    // Nothing stored holds the whole ID number.
    const idNumber = sys.services.accounts.idNumberOf(person);
    const row = await Application.findByPk(app.id);
    expect(JSON.stringify(row!.toJSON())).not.toContain(idNumber);
    expect((await OutboxMessage.findAll()).map((m) => m.payload).join()).not.toContain(idNumber);
  });

  it('R8 members who joined on or after 2020-01-01 cannot self-register (their branch adds them, R7)', async () => {
    const t = await tree();
    const input = registration(t.branchA.id, { joinedLeagueAt: '2020-01-01' });
    const err = await expectUserError(apps().registerMember(input), 'JOINED_AFTER_CUTOFF');
    expect(err.message).toContain('团支部管理员');
    expect(await sys.services.accounts.findByIdNumber(input.idNumber)).toBeNull();
    await expect(apps().registerMember(registration(t.branchA.id, { joinedLeagueAt: '2019-12-31' }))).resolves.toBeTruthy();
  });

  it('R8 notifications go to the nearest ancestor with admins when the branch has none', async () => {
    const t = await tree();
    const schoolAdmin = await makeAdmin(sys, t.school.id, '钱书记');
    const cityAdmin = await makeAdmin(sys, t.city.id, '孙书记');
    const { notifiedAdmins } = await apps().registerMember(registration(t.branchB.id));
    expect(notifiedAdmins).toBe(1);
    expect(await apps().deciderAdminsOf(t.branchB)).toEqual([schoolAdmin.person.id]);
    expect(await apps().deciderAdminsOf(t.branchB)).not.toContain(cityAdmin.person.id);
  });

  it('R8 approval places the person in the branch; a second decision says who decided and when', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.branchA.id, '周管理');
    const { app, person } = await apps().registerMember(registration(t.branchA.id));
    await apps().decisions.move(admin.person.id, app.id, 'submitted', 'approved');
    expect((await Person.findByPk(person.id))!.branchId).toBe(t.branchA.id);
    const again = await expectUserError(apps().decisions.move(admin.person.id, app.id, 'submitted', 'rejected', '重复'), 'APPLICATION_DECIDED');
    expect(again.message).toContain('周管理');
    expect(again.message).toContain('2026-06-15 12:00');
    const audit = await AuditLog.findAll({ where: { targetType: 'application', targetId: String(app.id) } });
    expect(audit.map((a) => a.action)).toEqual(['application.approved']);
    expect(audit[0].actorPersonId).toBe(admin.person.id);
  });

  it('R8 two admins deciding at the same moment: one decision wins, the other is told who decided', async () => {
    const t = await tree();
    const a = await makeAdmin(sys, t.branchA.id, '甲管理');
    const b = await makeAdmin(sys, t.branchA.id, '乙管理');
    const { app, person } = await apps().registerMember(registration(t.branchA.id));
    const results = await Promise.allSettled([
      apps().decisions.move(a.person.id, app.id, 'submitted', 'approved'),
      apps().decisions.move(b.person.id, app.id, 'submitted', 'rejected', '信息不符'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason.code).toBe('APPLICATION_DECIDED');
    const row = (await Application.findByPk(app.id))!;
    expect(lost[0].reason.message).toContain(row.decidedByPersonId === a.person.id ? '甲管理' : '乙管理');
    expect((await Person.findByPk(person.id))!.branchId).toBe(row.stage === 'approved' ? t.branchA.id : null);
    expect(await AuditLog.count({ where: { targetType: 'application', targetId: String(app.id) } })).toBe(1);
  });

  it('R8 an admin of an unrelated organisation cannot decide (Forbidden, naming nothing of it); one above the branch can', async () => {
    const t = await tree();
    const stranger = await makeAdmin(sys, t.other.id, '吴外人');
    const above = await makeAdmin(sys, t.school.id, '郑上级');
    const { app } = await apps().registerMember(registration(t.branchA.id));
    const err = await apps()
      .decisions.move(stranger.person.id, app.id, 'submitted', 'approved')
      .catch((e) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).not.toContain(t.branchA.fullName);
    expect(err.message).toContain('无权');
    // The same answer as for an application that does not exist: a forged id learns nothing.
    const missing = await apps()
      .decisions.view(stranger.person.id, 987654)
      .catch((e) => e);
    expect(missing.message).toBe(err.message);
    const member = await buildPerson(sys, { branchId: t.branchA.id, password: 'Member2024x' });
    await expect(apps().decisions.move(member.person.id, app.id, 'submitted', 'approved')).rejects.toBeInstanceOf(ForbiddenError);
    await apps().decisions.move(above.person.id, app.id, 'submitted', 'approved');
    expect((await Application.findByPk(app.id))!.stage).toBe('approved');
  });

  it('R8 rejection keeps the reason (or a default one) and leaves the person without a branch', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.branchA.id);
    const a = await apps().registerMember(registration(t.branchA.id));
    await apps().decisions.move(admin.person.id, a.app.id, 'submitted', 'rejected', '本支部没有这位团员');
    const b = await apps().registerMember(registration(t.branchA.id));
    await apps().decisions.move(admin.person.id, b.app.id, 'submitted', 'rejected');
    const [ra, rb] = await Promise.all([Application.findByPk(a.app.id), Application.findByPk(b.app.id)]);
    expect(ra!.reason).toBe('本支部没有这位团员');
    expect(rb!.reason).toContain('请与该团支部联系');
    expect(ra!.decidedByPersonId).toBe(admin.person.id);
    expect((await Person.findByPk(a.person.id))!.branchId).toBeNull();
  });

  it('R9 applicants must be 14-28 on the day: 13 and 29 refused, 14 and 28 allowed', async () => {
    const t = await tree();
    const now = sys.clock.now;
    await expectUserError(apps().applyToJoin(joining(t.branchA.id, birthYearsAgo(now, 14, 1))), 'TOO_YOUNG');
    await expectUserError(apps().applyToJoin(joining(t.branchA.id, birthYearsAgo(now, 29))), 'TOO_OLD');
    const youngest = await apps().applyToJoin(joining(t.branchA.id, birthYearsAgo(now, 14)));
    const oldest = await apps().applyToJoin(joining(t.branchA.id, birthYearsAgo(now, 29, 1)));
    expect(youngest.person.role).toBe('applicant');
    expect(oldest.app.kind).toBe('join');
  });

  it('R9 stages go forward one at a time up to admitted, which makes a member who joined that day', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.branchA.id);
    const { app, person } = await apps().applyToJoin(joining(t.branchA.id, birthYearsAgo(sys.clock.now, 16)));
    await expectUserError(apps().decisions.move(admin.person.id, app.id, 'submitted', 'activist'), 'APPLICATION_MOVED');
    const path = ['submitted', 'accepted', 'activist', 'candidate', 'admitted'] as const;
    for (let i = 1; i < path.length; i++) {
      await apps().decisions.move(admin.person.id, app.id, path[i - 1], path[i]);
      sys.clock.advance(86_400_000);
    }
    const after = (await Person.findByPk(person.id))!;
    expect(after.role).toBe('member');
    expect(after.branchId).toBe(t.branchA.id);
    expect(after.joinedLeagueAt).toBe('2026-06-18');
    const audit = await AuditLog.findAll({ where: { targetType: 'application', targetId: String(app.id) }, order: [['id', 'ASC']] });
    expect(audit.map((a) => a.action)).toEqual(['application.accepted', 'application.activist', 'application.candidate', 'application.admitted']);
    const news = await OutboxMessage.count({ where: { personId: person.id } });
    expect(news).toBe(0); // the applicant has no chat yet; the flows log them in (see the flow tests)
  });

  it('R9a check-in keeps the home organisation (matched by full name, R11) and the local branch', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.branchB.id);
    const home = await buildOrg(sys, { kind: 'committee', fullName: `共青团家乡县第${tags}中学委员会` });
    const matched = await apps().checkIn({
      idNumber: makeIdNumber('20010101'),
      name: '张流动',
      joinedLeagueAt: '2015-05-04',
      homeOrgName: ` ${home.fullName.replace('第', ' 第')} `,
      branchId: t.branchB.id,
      phone: '13700137000',
      password: 'Apply2024x',
    });
    expect(matched.app.homeOrgId).toBe(home.id);
    const unmatched = await apps().checkIn({
      idNumber: makeIdNumber('20010101'),
      name: '赵流动',
      joinedLeagueAt: '2015-05-04',
      homeOrgName: '共青团某地不存在的委员会',
      branchId: t.branchB.id,
      phone: '13700137001',
      password: 'Apply2024x',
    });
    expect(unmatched.app.homeOrgId).toBeNull();
    expect(unmatched.app.homeOrgName).toBe('共青团某地不存在的委员会');
    await apps().decisions.move(admin.person.id, matched.app.id, 'submitted', 'confirmed');
    const row = (await Application.findByPk(matched.app.id))!;
    expect([row.stage, row.orgId, row.homeOrgId]).toEqual(['confirmed', t.branchB.id, home.id]);
    expect((await Person.findByPk(matched.person.id))!.branchId).toBe(t.branchB.id);
  });

  it('R4 none of the three ways creates a second account for an ID number', async () => {
    const t = await tree();
    const { idNumber } = await buildPerson(sys, { branchId: t.branchA.id });
    const before = await Person.count();
    await expectUserError(apps().registerMember(registration(t.branchA.id, { idNumber })), 'DUPLICATE_ACCOUNT');
    await expectUserError(apps().applyToJoin({ ...joining(t.branchA.id, '20100101'), idNumber }), 'DUPLICATE_ACCOUNT');
    const err = await expectUserError(
      apps().checkIn({
        idNumber,
        name: '张三',
        joinedLeagueAt: '2015-05-04',
        homeOrgName: '共青团某县委员会',
        branchId: t.branchA.id,
        phone: '13700137000',
        password: 'Apply2024x',
      }),
      'DUPLICATE_ACCOUNT',
    );
    expect(err.message).toContain('/login');
    expect(err.message).toContain('后 8 位');
    expect(await Person.count()).toBe(before);
  });

  it('R4 a rejected applicant applies again from the same account; an open application or a branch blocks it', async () => {
    const t = await tree();
    const admin = await makeAdmin(sys, t.school.id);
    const { app, person } = await apps().applyToJoin(joining(t.branchA.id, '20100101'));
    await expectUserError(apps().reapply(person.id, { kind: 'join', branchId: t.branchB.id, statement: '再次申请入团。' }), 'APPLICATION_OPEN');
    await apps().decisions.move(admin.person.id, app.id, 'submitted', 'rejected');
    await expectUserError(apps().reapply(person.id, { kind: 'self_registration', branchId: t.branchB.id, role: 'member' }), 'NOT_MEMBER');
    const again = await apps().reapply(person.id, { kind: 'join', branchId: t.branchB.id, statement: '再次申请入团。' });
    expect([again.person.id, again.app.kind, again.app.orgId]).toEqual([person.id, 'join', t.branchB.id]);
    for (const [from, to] of [
      ['submitted', 'accepted'],
      ['accepted', 'activist'],
      ['activist', 'candidate'],
      ['candidate', 'admitted'],
    ] as const) {
      await apps().decisions.move(admin.person.id, again.app.id, from, to);
    }
    const err = await expectUserError(
      apps().reapply(person.id, { kind: 'flow_checkin', branchId: t.branchA.id, homeOrgName: '共青团某县委员会' }),
      'ALREADY_PLACED',
    );
    expect(err.message).toContain(t.branchB.fullName);
  });

  it('only a branch can be applied to; the pending list covers the admin subtree only', async () => {
    const t = await tree();
    await expectUserError(apps().registerMember(registration(t.school.id)), 'NOT_BRANCH');
    const schoolAdmin = await makeAdmin(sys, t.school.id);
    const strangerAdmin = await makeAdmin(sys, t.other.id);
    const a = await apps().registerMember(registration(t.branchA.id));
    const b = await apps().applyToJoin(joining(t.branchB.id, '20100101'));
    const c = await apps().registerMember(registration(t.otherBranch.id));
    const mine = await apps().pendingFor(schoolAdmin.person.id);
    expect(mine.items.map((p) => p.app.id)).toEqual([a.app.id, b.app.id]);
    expect((await apps().pendingFor(strangerAdmin.person.id)).items.map((p) => p.app.id)).toEqual([c.app.id]);
    await apps().decisions.move(schoolAdmin.person.id, a.app.id, 'submitted', 'approved');
    expect((await apps().pendingFor(schoolAdmin.person.id)).total).toBe(1);
  });
});
