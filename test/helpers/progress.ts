import type { OrgKind } from '../../models/Organisation';
import type { System } from '../../server/system';
import { makeAdmin } from './admin-fixtures';
import { TestChat } from './chat';
import { buildOrg, makeIdNumber } from './factories';

/** The required fields a person may lack (R16): name, ID number and role are always there. */
export type OptionalField = 'phone' | 'ethnicity' | 'education' | 'joinedLeagueAt';

const FILLED: Record<OptionalField, string> = { phone: '13912345678', ethnicity: '汉族', education: '本科', joinedLeagueAt: '2016-05-04' };

/**
 * A person entered through the services: complete (R16) unless `missing` names fields left
 * empty; a member or cadre of `branchId`, holding the posts `posts` (organisation id → titles).
 */
export async function enterPerson(
  sys: System,
  opts: { branchId?: number | null; role?: 'member' | 'cadre' | 'applicant'; posts?: Array<[number, string]>; missing?: OptionalField[] } = {},
) {
  const fields = Object.fromEntries(Object.entries(FILLED).map(([k, v]) => [k, opts.missing?.includes(k as OptionalField) ? null : v]));
  const person = await sys.services.accounts.create({
    idNumber: makeIdNumber('20000101'), name: '李录入', role: opts.role ?? 'member', branchId: opts.branchId ?? null, ...fields,
  });
  for (const [orgId, title] of opts.posts ?? []) await sys.services.posts.add(person.id, orgId, title);
  return person;
}

/** `n` complete members (or cadres) of a branch. */
export async function enterMembers(sys: System, branchId: number, n: number, role: 'member' | 'cadre' = 'member'): Promise<void> {
  for (let i = 0; i < n; i++) await enterPerson(sys, { branchId, role });
}

/** `n` complete cadres of an organisation: people with a post in it (and no branch). */
export async function enterCadres(sys: System, orgId: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await enterPerson(sys, { role: 'cadre', posts: [[orgId, i ? '副书记' : '书记']] });
}

let rootSeq = 0;

/**
 * A county leading body of its own with a logged-in admin, complete itself (one cadre), so a
 * test sees only what it builds below; `org(kind)` adds an organisation under it (or under `parentId`).
 */
export async function progressRoot(sys: System, tag: string) {
  const n = ++rootSeq;
  const root = await buildOrg(sys, { fullName: `共青团${tag}${n}县委员会`, shortName: `${tag}${n}县团委`, kind: 'leading_body' });
  await enterCadres(sys, root.id, 1);
  const admin = await makeAdmin(sys, root.id, '孙进度');
  const chat = new TestChat(sys);
  await chat.login(admin.idNumber, admin.password);
  let seq = 0;
  const org = (kind: OrgKind, parentId = root.id, name?: string) =>
    buildOrg(sys, { parentId, kind, fullName: name ?? `共青团${tag}${n}县第${++seq}${KIND_SUFFIX[kind]}`, shortName: `${tag}${n}第${seq}${KIND_SUFFIX[kind]}` });
  return { root, admin, chat, org };
}

const KIND_SUFFIX: Record<OrgKind, string> = { leading_body: '团委机关', committee: '团委', working_committee: '团工委', general_branch: '团总支', branch: '团支部' };
