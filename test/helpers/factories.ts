import { checkDigit } from '../../server/services/id-number';
import type { OrgKind } from '../../models/Organisation';
import type { System } from '../../server/system';

let seq = 100;

/** A valid 18-digit ID number (region 640104, 银川市兴庆区) for a birth date `YYYYMMDD`. */
export function makeIdNumber(birth = '20000101', region = '640104'): string {
  const first17 = `${region}${birth}${String(seq++ % 1000).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/** Creates an organisation under `parentId`. */
export async function buildOrg(sys: System, overrides: { parentId?: number | null; fullName?: string; kind?: OrgKind; shortName?: string; locked?: boolean; isSchool?: boolean; adminCode?: string } = {}) {
  const fullName = overrides.fullName ?? `共青团测试组织${seq++}委员会`;
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
