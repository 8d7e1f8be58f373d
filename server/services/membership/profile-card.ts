import type { OrgKind } from '../../../models/Organisation';
import type { PersonRole, VerificationState } from '../../../models/Person';
import type { ServiceDeps } from '../deps';

/** A person as flows see them, the ID number only masked; read with every update (see conversations.ts). */
export interface PersonSummary {
  id: number;
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
  branchId: number | null;
  branchFullName: string | null;
  mustChangePassword: boolean;
}

/** Everything `/me` shows. */
export interface ProfileCard extends PersonSummary {
  posts: Array<{ orgShortName: string; title: string }>;
  adminOf: Array<{ fullName: string; kind: OrgKind }>;
}

/** The summary's columns, for a query that joins `people p` and its branch `organisations b`. */
export const PERSON_SUMMARY_COLUMNS = `p.id AS person_id, p.name, p.id_masked, p.gender, p.birth_date, p.role, p.phone, p.ethnicity,
  p.education, p.joined_league_at, p.verification_state, p.verification_reason, p.branch_id, b.full_name AS branch_full_name,
  p.must_change_password`;

/** A row selected with PERSON_SUMMARY_COLUMNS → the summary (null when no person matched). */
export function toPersonSummary(row: Record<string, any> | undefined): PersonSummary | null {
  if (!row || row.person_id == null) return null;
  return {
    id: Number(row.person_id),
    name: row.name,
    idMasked: row.id_masked,
    gender: row.gender,
    birthDate: row.birth_date,
    role: row.role,
    phone: row.phone,
    ethnicity: row.ethnicity,
    education: row.education,
    joinedLeagueAt: row.joined_league_at,
    verificationState: row.verification_state,
    verificationReason: row.verification_reason,
    branchId: row.branch_id == null ? null : Number(row.branch_id),
    branchFullName: row.branch_full_name,
    mustChangePassword: !!row.must_change_password,
  };
}

/** The posts a person holds and the organisations they administer, in one query. */
export async function readPostsAndAdminOf(deps: ServiceDeps, personId: number): Promise<Pick<ProfileCard, 'posts' | 'adminOf'>> {
  const links = await deps.db.fast.all<{ link: string; title: string | null; short_name: string; full_name: string; kind: OrgKind }>(
    `SELECT 'post' AS link, t.title, o.short_name, o.full_name, o.kind FROM posts t JOIN organisations o ON o.id = t.org_id WHERE t.person_id = ?
     UNION ALL
     SELECT 'admin' AS link, NULL AS title, o.short_name, o.full_name, o.kind FROM admins a JOIN organisations o ON o.id = a.org_id WHERE a.person_id = ?`,
    [personId, personId],
  );
  return {
    posts: links.filter((l) => l.link === 'post').map((l) => ({ orgShortName: l.short_name, title: l.title! })),
    adminOf: links.filter((l) => l.link === 'admin').map((l) => ({ fullName: l.full_name, kind: l.kind })),
  };
}

/** Reads a whole profile card; given the summary already read, only the posts and admin links. */
export async function readProfileCard(deps: ServiceDeps, personId: number, summary?: PersonSummary | null): Promise<ProfileCard | null> {
  const [person, links] = await Promise.all([
    summary ??
      deps.db.fast
        .all(`SELECT ${PERSON_SUMMARY_COLUMNS} FROM people p LEFT JOIN organisations b ON b.id = p.branch_id WHERE p.id = ?`, [personId])
        .then(([row]) => toPersonSummary(row)),
    readPostsAndAdminOf(deps, personId),
  ]);
  return person && { ...person, ...links };
}
