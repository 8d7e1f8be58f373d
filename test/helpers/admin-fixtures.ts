import type { System } from '../../server/system';
import { buildOrg, makeIdNumber } from './factories';

/** `YYYYMMDD` of the day `years` years before `now` (plus `days` later), in local time. */
export function birthYearsAgo(now: Date, years: number, days = 0): string {
  const d = new Date(now.getFullYear() - years, now.getMonth(), now.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

/** Everything a new admin types (R6), for a person `years` old. */
export function newAdminInput(org: { id: number; adminCode: string }, now: Date, overrides: Partial<{ idNumber: string; name: string; joinedLeagueAt: string; phone: string; password: string; code: string; clientKey: string }> = {}) {
  return {
    orgId: org.id,
    code: overrides.code ?? org.adminCode,
    clientKey: overrides.clientKey ?? `test:${Math.random()}`,
    idNumber: overrides.idNumber ?? makeIdNumber(birthYearsAgo(now, 25)),
    name: overrides.name ?? '王小明',
    joinedLeagueAt: overrides.joinedLeagueAt ?? '2012-05-04',
    phone: overrides.phone ?? '13912345678',
    password: overrides.password ?? 'Admin2024x',
  };
}

/** A small tree: province committee › city committee › school committee › two branches, plus an unrelated county committee. */
export async function buildTree(sys: System, tag: string) {
  const province = await buildOrg(sys, { fullName: `共青团${tag}省委员会`, shortName: `${tag}省团委`, kind: 'leading_body' });
  const city = await buildOrg(sys, { parentId: province.id, fullName: `共青团${tag}市委员会`, shortName: `${tag}市团委`, kind: 'leading_body' });
  const school = await buildOrg(sys, { parentId: city.id, fullName: `共青团${tag}市第一中学委员会`, shortName: `${tag}一中团委`, kind: 'committee' });
  const branchA = await buildOrg(sys, { parentId: school.id, fullName: `共青团${tag}市第一中学高一（1）班团支部`, shortName: `${tag}高一1班团支部`, kind: 'branch' });
  const branchB = await buildOrg(sys, { parentId: school.id, fullName: `共青团${tag}市第一中学高一（2）班团支部`, shortName: `${tag}高一2班团支部`, kind: 'branch' });
  const other = await buildOrg(sys, { parentId: province.id, fullName: `共青团${tag}县委员会`, shortName: `${tag}县团委`, kind: 'leading_body' });
  const otherBranch = await buildOrg(sys, { parentId: other.id, fullName: `共青团${tag}县农业局团支部`, shortName: `${tag}县农业局团支部`, kind: 'branch' });
  return { province, city, school, branchA, branchB, other, otherBranch };
}

/** Makes an admin of `orgId` directly (bypassing the code), returning the person and their ID number. */
export async function makeAdmin(sys: System, orgId: number, name = '赵管理') {
  const idNumber = makeIdNumber(birthYearsAgo(new Date(), 30));
  const person = await sys.services.accounts.create({ idNumber, name, role: 'cadre', branchId: null, password: 'Admin2024x' });
  await sys.services.admins.add(orgId, person.id);
  return { person, idNumber, password: 'Admin2024x' };
}
