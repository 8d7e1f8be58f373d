import { checkDigit } from '../../server/lib/id-number';
import type { OrgKind } from '../../models/Organisation';
import type { System } from '../../server/system';

let orgSeq = 100;

/** Sequence numbers (3 digits: 1,000 per region and birth date) already given, by region + birth date. */
const issued = new Map<string, number>();

/**
 * A valid 18-digit ID number for a birth date `YYYYMMDD`, never the same twice in a process.
 * The region is 640104 (银川市兴庆区) until that birth date has used its 1,000 sequence
 * numbers there, then 640105, 640106 and on (always in 宁夏, 64xxxx); the birth date is the
 * caller's. A region given by the caller is kept too, and 1,001 numbers for one region and
 * birth date are refused rather than repeated.
 */
export function makeIdNumber(birth = '20000101', region?: string): string {
  let area = region ?? '640104';
  while ((issued.get(area + birth) ?? 0) >= 1000) {
    if (region || area === '649999') throw new Error(`makeIdNumber: every ID number for ${birth}${region ? ` in ${region}` : ''} has been given once already`);
    area = String(Number(area) + 1);
  }
  const n = issued.get(area + birth) ?? 0;
  issued.set(area + birth, n + 1);
  const first17 = `${area}${birth}${String(n).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/** Creates an organisation under `parentId`. */
export async function buildOrg(sys: System, overrides: { parentId?: number | null; fullName?: string; kind?: OrgKind; shortName?: string; locked?: boolean; isSchool?: boolean; adminCode?: string } = {}) {
  const fullName = overrides.fullName ?? `共青团测试组织${orgSeq++}委员会`;
  return sys.services.organisations.create({
    parentId: overrides.parentId ?? null,
    fullName,
    shortName: overrides.shortName ?? fullName.slice(0, 10),
    kind: overrides.kind ?? 'committee',
    locked: overrides.locked,
    isSchool: overrides.isSchool,
    adminCode: overrides.adminCode,
  });
}

/** Creates an account (R3 initial password unless `password` is given). */
export async function buildPerson(sys: System, overrides: { idNumber?: string; name?: string; branchId?: number | null; role?: 'member' | 'cadre' | 'applicant'; password?: string } = {}) {
  const idNumber = overrides.idNumber ?? makeIdNumber();
  const person = await sys.services.accounts.create({
    idNumber,
    name: overrides.name ?? '张三',
    role: overrides.role ?? 'member',
    branchId: overrides.branchId ?? null,
    password: overrides.password,
  });
  return { person, idNumber };
}
