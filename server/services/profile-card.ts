import type { OrgKind } from '../../models/Organisation';
import type { PersonRole, VerificationState } from '../../models/Person';
import type { ServiceDeps } from './deps';

/** Everything `/me` shows, the ID number only masked. */
export interface ProfileCard {
  name: string;
  idMasked: string;
  gender: 'M' | 'F';
  birthDate: string;
  role: PersonRole;
  phone: string | null;
  ethnicity: string | null;
  education: string | null;
  joinedLeagueAt: string | null;
  verificationState: VerificationState;
  verificationReason: string | null;
  branchFullName: string | null;
  posts: Array<{ orgShortName: string; title: string }>;
  adminOf: Array<{ fullName: string; kind: OrgKind }>;
}

/** Reads a person's profile card in two plain queries (it is the most used personal command). */
export async function readProfileCard(deps: ServiceDeps, personId: number): Promise<ProfileCard | null> {
  const { fast } = deps.db;
  const [p] = await fast.all<Record<string, any>>(
    `SELECT p.name, p.id_masked, p.gender, p.birth_date, p.role, p.phone, p.ethnicity, p.education, p.joined_league_at,
            p.verification_state, p.verification_reason, b.full_name AS branch_full_name
     FROM people p LEFT JOIN organisations b ON b.id = p.branch_id WHERE p.id = ?`,
    [personId],
  );
  if (!p) return null;
  const links = await fast.all<{ link: string; title: string | null; short_name: string; full_name: string; kind: OrgKind }>(
    `SELECT 'post' AS link, t.title, o.short_name, o.full_name, o.kind FROM posts t JOIN organisations o ON o.id = t.org_id WHERE t.person_id = ?
     UNION ALL
     SELECT 'admin' AS link, NULL AS title, o.short_name, o.full_name, o.kind FROM admins a JOIN organisations o ON o.id = a.org_id WHERE a.person_id = ?`,
    [personId, personId],
  );
  return {
    name: p.name,
    idMasked: p.id_masked,
    gender: p.gender,
    birthDate: p.birth_date,
    role: p.role,
    phone: p.phone,
    ethnicity: p.ethnicity,
    education: p.education,
    joinedLeagueAt: p.joined_league_at,
    verificationState: p.verification_state,
    verificationReason: p.verification_reason,
    branchFullName: p.branch_full_name,
    posts: links.filter((l) => l.link === 'post').map((l) => ({ orgShortName: l.short_name, title: l.title! })),
    adminOf: links.filter((l) => l.link === 'admin').map((l) => ({ fullName: l.full_name, kind: l.kind })),
  };
}
