import { Organisation, Person } from '../../models';
import { demoIdNumber, seed } from '../../seeds';
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SIGNIN_CODE } from '../../seeds/demo';
import { PROVINCIAL_COMMITTEES } from '../../seeds/provincial-committees';
import { parseIdNumber } from '../../server/lib/id-number';
import { createTestSystem, TestSystem } from '../helpers/system';

// Seeding acts on an empty database only: each test starts from one of its own.
let sys: TestSystem;
beforeEach(async () => {
  sys = await createTestSystem();
});
afterEach(() => sys.close());

describe('seeds', () => {
  it('R19 the demo has a league day of 计科1班 with its members picked and sign-in open with the demo code', async () => {
    expect(await seed(sys.services, { demo: true })).toBe(true);
    const member = DEMO_PEOPLE.find((p) => p.name === '陈思远')!;
    const person = (await Person.findOne({ where: { name: member.name } }))!;
    const outcome = await sys.services.signin.attempt(person.id, 'seed-test', DEMO_SIGNIN_CODE);
    expect(outcome.kind).toBe('signed');
    expect((await sys.services.signin.counts(('activity' in outcome && outcome.activity.id) || 0)).participants).toBe(4);
  });

  it('R10 loads the Central Committee with 38 provincial-level committees, all locked (R12)', async () => {
    expect(await seed(sys.services, { demo: true })).toBe(true);
    const central = await Organisation.findOne({ where: { parentId: null } });
    expect(central?.shortName).toBe('团中央');
    const provincial = await Organisation.findAll({ where: { parentId: central!.id } });
    expect(PROVINCIAL_COMMITTEES).toHaveLength(38);
    expect(provincial).toHaveLength(38);
    expect(provincial.every((o) => o.locked && o.kind === 'leading_body')).toBe(true);
    expect(provincial.map((o) => o.fullName)).toContain('共青团宁夏回族自治区委员会');
  });

  it('is idempotent: a second run on a non-empty database changes nothing', async () => {
    expect(await seed(sys.services, { demo: true })).toBe(true);
    const before = [await Organisation.count(), await Person.count()];
    expect(await seed(sys.services, { demo: true })).toBe(false);
    expect([await Organisation.count(), await Person.count()]).toEqual(before);
  });

  it('demo people have valid ID numbers (R1), admins log in with the demo password, members with R3', async () => {
    expect(await seed(sys.services, { demo: true })).toBe(true);
    for (const p of DEMO_PEOPLE) expect(parseIdNumber(demoIdNumber(p)).ok).toBe(true);
    const admin = DEMO_PEOPLE.find((p) => p.adminOf)!;
    const member = DEMO_PEOPLE.find((p) => !p.password)!;
    const a = await sys.services.accounts.login(demoIdNumber(admin), DEMO_PASSWORD, 'seed-test');
    expect(a.mustChangePassword).toBe(false);
    const m = await sys.services.accounts.login(demoIdNumber(member), demoIdNumber(member).slice(-8), 'seed-test');
    expect(m.mustChangePassword).toBe(true);
    // One admin per demo organisation.
    for (const p of DEMO_PEOPLE.filter((x) => x.adminOf)) {
      const person = await sys.services.accounts.findByIdNumber(demoIdNumber(p));
      expect((await sys.services.admins.orgsOf(person!.id)).length).toBe(p.adminOf!.length);
    }
  });
});
