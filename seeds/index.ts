import { Admin, Organisation } from '../models';
import { withMigrationLock } from '../models/migrator';
import type { Services } from '../server/services';
import { checkDigit } from '../server/lib/id-number';
import { DEMO_ORGS, DEMO_PEOPLE, DEMO_SIGNIN_CODE } from './demo';
import { seedDemoFees } from './demo-fees';
import { CENTRAL_COMMITTEE, PROVINCIAL_COMMITTEES } from './provincial-committees';

/** The demo person's ID number (valid check digit, region 640104 银川市兴庆区). */
export function demoIdNumber(p: { birth: string; seq: string }): string {
  const first17 = `640104${p.birth}${p.seq}`;
  return first17 + checkDigit(first17);
}

/**
 * Loads the organisation tree (Central + 38) and, unless `demo` is false, the demo subtree
 * with its people. Runs only on an empty database, so running it again changes nothing; two
 * processes starting at once seed it once (one after the other, the second finds it seeded).
 */
export async function seed(services: Services, opts: { demo: boolean }): Promise<boolean> {
  if ((await Organisation.count()) > 0) return false;
  const { db } = services.deps;
  // Hash the demo passwords before taking the write lock.
  const hashes = new Map<string, string>();
  for (const p of DEMO_PEOPLE) if (opts.demo && p.password && !hashes.has(p.password)) hashes.set(p.password, await services.deps.hasher.hash(p.password));
  const seeded = await withMigrationLock(db, () =>
    db.transaction(async (t) => {
      if ((await Organisation.count({ transaction: t })) > 0) return false;
      const central = await services.organisations.create(
        { parentId: null, ...CENTRAL_COMMITTEE, kind: 'leading_body', locked: true, industry: '党政机关' },
        t,
      );
      const byKey = new Map<string, Organisation>();
      for (const p of PROVINCIAL_COMMITTEES) {
        const org = await services.organisations.create({ parentId: central.id, ...p, kind: 'leading_body', locked: true, industry: '党政机关' }, t);
        if (p.shortName === '宁夏团委') byKey.set('ningxia', org);
      }
      if (!opts.demo) return true;
      for (const o of DEMO_ORGS) {
        const org = await services.organisations.create(
          {
            parentId: byKey.get(o.parent)!.id,
            fullName: o.fullName,
            shortName: o.shortName,
            kind: o.kind,
            isSchool: o.isSchool,
            adminCode: o.adminCode,
            industry: o.industry,
          },
          t,
        );
        byKey.set(o.key, org);
      }
      for (const p of DEMO_PEOPLE) {
        const person = await services.accounts.create(
          {
            idNumber: demoIdNumber(p),
            name: p.name,
            role: p.role,
            branchId: p.branch ? byKey.get(p.branch)!.id : null,
            phone: p.phone,
            joinedLeagueAt: p.joined,
            ethnicity: '汉族',
            education: '本科',
          },
          t,
        );
        if (p.password) await person.update({ passwordHash: hashes.get(p.password)!, mustChangePassword: false }, { transaction: t });
        for (const key of p.adminOf ?? []) await services.admins.add(byKey.get(key)!.id, person.id, t);
        for (const [key, title] of Object.entries(p.posts ?? {})) await services.posts.add(person.id, byKey.get(key)!.id, title, t);
      }
      return true;
    }),
  );
  if (seeded && opts.demo) await seedDemoActivity(services);
  if (seeded && opts.demo) await seedDemoFees(services);
  return seeded;
}

/**
 * A league day of 计科1班 tomorrow, its members picked and sign-in opened by hand with the code
 * DEMO_SIGNIN_CODE, so that sign-in can be tried at once (README, "Demo logins").
 */
async function seedDemoActivity(services: Services): Promise<void> {
  const { activities, activityParticipants, signin, deps } = services;
  const branch = (await Organisation.findOne({ where: { shortName: '计科1班团支部' } }))!;
  const admin = (await Admin.findOne({ where: { orgId: branch.id } }))!.personId;
  const tomorrow = new Date(deps.now().getTime() + 86_400_000);
  tomorrow.setUTCHours(6, 0, 0, 0); // 14:00 in Beijing
  const activity = await activities.create(admin, {
    orgId: branch.id,
    kind: 'league_day',
    title: '学习二十大精神主题团日',
    startsAt: tomorrow,
    endsAt: new Date(tomorrow.getTime() + 2 * 3_600_000),
    place: '信息楼 301',
    organiser: '张晓雨',
  });
  await activityParticipants.addOrg(admin, activity.id, branch.id);
  await signin.setMode(admin, activity.id, 'open');
  await deps.db.transaction((t) => activity.update({ signinCode: DEMO_SIGNIN_CODE }, { transaction: t }));
}
