import { Admin, AuditLog, Person } from '../../../models';
import { ADMIN_DUPLICATE_MESSAGE, adminAgeProblem } from '../../../server/services/applications/admin-registration';
import { birthYearsAgo, newAdminInput } from '../../helpers/fixtures/admin-fixtures';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const register = (input: Parameters<TestSystem['services']['adminRegistration']['registerAdmin']>[0]) => sys.services.adminRegistration.registerAdmin(input);
const day = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`;

describe('R6 age rule (pure)', () => {
  const today = new Date(2026, 10, 25);
  it('R6 refuses 13 and allows 14', () => {
    expect(adminAgeProblem('2013-11-25', null, today)).toContain('14 周岁');
    expect(adminAgeProblem('2012-11-26', '2025-01-01', today)).toContain('现在 13 周岁'); // 14 tomorrow
    expect(adminAgeProblem('2012-11-25', '2025-01-01', today)).toBeNull();
  });
  it('R6 allows 12 and 13 for those who joined before 2016-09-01, not on that day', () => {
    expect(adminAgeProblem('2013-11-25', '2016-08-31', today)).toBeNull();
    expect(adminAgeProblem('2014-11-25', '2016-08-31', today)).toBeNull(); // 12
    expect(adminAgeProblem('2014-11-26', '2016-08-31', today)).toContain('现在 11 周岁');
    expect(adminAgeProblem('2013-11-25', '2016-09-01', today)).toContain('14 周岁');
  });
});

describe('registerAdmin (R6)', () => {
  it('R6 creates a cadre account placed in a branch, makes it admin and audits it', async () => {
    const branch = await buildOrg(sys, { kind: 'branch' });
    const input = newAdminInput(branch, sys.clock.now);
    const { person, created } = await register(input);
    expect(created).toBe(true);
    expect(person.role).toBe('cadre');
    expect(person.branchId).toBe(branch.id);
    expect(person.mustChangePassword).toBe(false);
    expect(await sys.services.accounts.checkPassword(person, input.password)).toBe(true);
    expect(await sys.services.admins.canManage(person.id, branch.id)).toBe(true);
    const audit = await AuditLog.findOne({ where: { action: 'admin.register', orgId: branch.id } });
    expect(audit?.after).toContain(person.idMasked);
    expect(audit?.after).not.toContain(input.idNumber);
  });

  it('R6 an admin of a committee has no branch', async () => {
    const committee = await buildOrg(sys, { kind: 'committee' });
    const { person } = await register(newAdminInput(committee, sys.clock.now));
    expect(person.branchId).toBeNull();
    expect(await sys.services.admins.canManage(person.id, committee.id)).toBe(true);
  });

  it('R6 refuses a wrong code, and the code is case-sensitive', async () => {
    const org = await buildOrg(sys, { adminCode: 'Ab3dEf7H' });
    await expect(register(newAdminInput(org, sys.clock.now, { code: 'Ab3dEf7X' }))).rejects.toMatchObject({ code: 'ADMIN_CODE_WRONG' });
    await expect(register(newAdminInput(org, sys.clock.now, { code: 'ab3def7h' }))).rejects.toMatchObject({ code: 'ADMIN_CODE_WRONG' });
    await expect(register(newAdminInput(org, sys.clock.now, { code: 'AB3DEF7H' }))).rejects.toMatchObject({ code: 'ADMIN_CODE_WRONG' });
    await expect(register(newAdminInput(org, sys.clock.now, { code: 'Ab3dEf7' }))).rejects.toMatchObject({ code: 'ADMIN_CODE_FORMAT' });
    expect(await Admin.count({ where: { orgId: org.id } })).toBe(0);
    await expect(register(newAdminInput(org, sys.clock.now, { code: ' Ab3dEf7H ' }))).resolves.toMatchObject({ created: true });
  });

  it('R6 wrong codes are limited per chat user: 5 free, then a growing delay', async () => {
    const orgs = [await buildOrg(sys), await buildOrg(sys)];
    const clientKey = 'test:guesser';
    // Spread over two organisations: the limit follows the person, not only the organisation.
    for (let i = 0; i < 5; i++) {
      await expect(register(newAdminInput(orgs[i % 2], sys.clock.now, { code: 'Wrong123', clientKey }))).rejects.toMatchObject({ code: 'ADMIN_CODE_WRONG' });
    }
    const right = () => register(newAdminInput(orgs[0], sys.clock.now, { clientKey }));
    await expect(right()).rejects.toMatchObject({ code: 'ADMIN_CODE_LIMITED', message: expect.stringContaining('秒后再试') });
    sys.clock.advance(31_000);
    // Another wrong code doubles the delay.
    await expect(register(newAdminInput(orgs[1], sys.clock.now, { code: 'Wrong123', clientKey }))).rejects.toMatchObject({ code: 'ADMIN_CODE_WRONG' });
    sys.clock.advance(31_000);
    await expect(right()).rejects.toMatchObject({ code: 'ADMIN_CODE_LIMITED' });
    sys.clock.advance(30_000);
    await expect(right()).resolves.toMatchObject({ created: true });
  });

  it('R6 wrong codes are limited per organisation, whoever types them, gently (seconds, not an hour)', async () => {
    const org = await buildOrg(sys);
    for (let i = 0; i < 10; i++) {
      await expect(register(newAdminInput(org, sys.clock.now, { code: 'Wrong123', clientKey: `test:crowd-${i}` }))).rejects.toMatchObject({
        code: 'ADMIN_CODE_WRONG',
      });
    }
    await expect(register(newAdminInput(org, sys.clock.now, { clientKey: 'test:newcomer' }))).rejects.toMatchObject({
      code: 'ADMIN_CODE_LIMITED',
      message: expect.stringMatching(/\d+ 秒后再试/),
    });
    // Another organisation is not affected.
    const other = await buildOrg(sys);
    await expect(register(newAdminInput(other, sys.clock.now, { clientKey: 'test:newcomer' }))).resolves.toMatchObject({ created: true });
    sys.clock.advance(3_000);
    await expect(register(newAdminInput(org, sys.clock.now, { clientKey: 'test:newcomer' }))).resolves.toMatchObject({ created: true });
  });

  it('R6 refuses a third admin', async () => {
    const org = await buildOrg(sys);
    await register(newAdminInput(org, sys.clock.now));
    await register(newAdminInput(org, sys.clock.now));
    const third = newAdminInput(org, sys.clock.now);
    await expect(register(third)).rejects.toMatchObject({ code: 'ADMIN_LIMIT', message: expect.stringContaining('最多两位') });
    expect(await sys.services.accounts.findByIdNumber(third.idNumber)).toBeNull();
  });

  it('R6 refuses 13, allows 14, and allows 13 for someone who joined before 2016-09-01', async () => {
    const org = await buildOrg(sys, { kind: 'branch' });
    const now = sys.clock.now;
    const thirteen = makeIdNumber(birthYearsAgo(now, 13));
    await expect(register(newAdminInput(org, now, { idNumber: thirteen, joinedLeagueAt: '2020-05-04' }))).rejects.toMatchObject({ code: 'ADMIN_TOO_YOUNG' });
    const almost14 = makeIdNumber(birthYearsAgo(now, 14, 1));
    await expect(register(newAdminInput(org, now, { idNumber: almost14, joinedLeagueAt: '2020-05-04' }))).rejects.toMatchObject({ code: 'ADMIN_TOO_YOUNG' });
    expect(await sys.services.accounts.findByIdNumber(thirteen)).toBeNull();
    const fourteen = makeIdNumber(birthYearsAgo(now, 14));
    await expect(register(newAdminInput(org, now, { idNumber: fourteen, joinedLeagueAt: '2020-05-04' }))).resolves.toMatchObject({ created: true });
    const org2 = await buildOrg(sys, { kind: 'branch' });
    const earlyBirth = birthYearsAgo(now, 13);
    const early = makeIdNumber(earlyBirth);
    const joined = day(earlyBirth) < '2016-08-31' ? '2016-08-31' : day(earlyBirth);
    await expect(register(newAdminInput(org2, now, { idNumber: early, joinedLeagueAt: joined }))).resolves.toMatchObject({ created: true });
    const eleven = makeIdNumber(birthYearsAgo(now, 11));
    await expect(register(newAdminInput(org2, now, { idNumber: eleven, joinedLeagueAt: '2016-08-31' }))).rejects.toMatchObject({
      code: expect.stringMatching(/ADMIN_TOO_YOUNG|JOINED_INVALID/),
    });
  });

  it('R4 refuses an ID number already registered, naming the way out', async () => {
    const org = await buildOrg(sys);
    const { idNumber } = await buildPerson(sys);
    await expect(register(newAdminInput(org, sys.clock.now, { idNumber }))).rejects.toMatchObject({
      code: 'DUPLICATE_ACCOUNT',
      message: ADMIN_DUPLICATE_MESSAGE,
    });
    expect(ADMIN_DUPLICATE_MESSAGE).toContain('/login');
    expect(await Admin.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('R6 a logged-in member registers with their own account and becomes a cadre', async () => {
    const branch = await buildOrg(sys, { kind: 'branch' });
    const { person } = await buildPerson(sys, { role: 'member' });
    person.joinedLeagueAt = '2010-05-04';
    await sys.db.transaction((t) => person.save({ transaction: t }));
    const result = await register({ orgId: branch.id, code: branch.adminCode, clientKey: 'test:member', personId: person.id });
    expect(result.created).toBe(false);
    expect(result.person.role).toBe('cadre');
    expect(result.person.branchId).toBe(branch.id);
    await expect(register({ orgId: branch.id, code: branch.adminCode, clientKey: 'test:member', personId: person.id })).rejects.toMatchObject({
      code: 'ALREADY_ADMIN',
    });
  });

  it.each([2, 5])('R6 %i registrations for one organisation at the same moment never make more than 2 admins', async (n) => {
    const org = await buildOrg(sys);
    const inputs = Array.from({ length: n }, (_, i) => newAdminInput(org, sys.clock.now, { clientKey: `test:race-${n}-${i}` }));
    const results = await Promise.allSettled(inputs.map((input) => register(input)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok.length).toBe(2);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'ADMIN_LIMIT' });
    expect(await Admin.count({ where: { orgId: org.id } })).toBe(2);
    // The refused registrations left no account behind.
    const created = await Person.count({ where: { idHash: inputs.map((i) => sys.services.deps.vault.lookupHash(i.idNumber)) } });
    expect(created).toBe(2);
  });
});
