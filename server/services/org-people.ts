import { QueryTypes } from 'sequelize';
import { Organisation } from '../../models';
import type { PersonRole, VerificationState } from '../../models/Person';
import { underPath, underPathPattern } from '../../models/fast-sql';
import { ForbiddenError } from '../errors';
import { Admins } from './admins';
import type { ServiceDeps } from './deps';
import { incompletePersonSql, missingPersonFields } from './person-fields';

/** Which people of an organisation to list: everyone, those lacking a required field (R16), or those not verified (R5). */
export type PeopleFilter = 'all' | 'incomplete' | 'unverified';

/** A person as an admin's list shows them (ID number masked). */
export interface OrgPerson {
  id: number;
  name: string;
  idMasked: string;
  role: PersonRole;
  branchName: string | null;
  verificationState: VerificationState;
  verificationReason: string | null;
  /** Labels of the required fields not filled (R16). */
  missing: string[];
}

export interface OrgPeoplePage {
  org: { id: number; fullName: string };
  items: OrgPerson[];
  total: number;
  page: number;
  pages: number;
}

const REFUSED = '您不是该组织或其上级组织的管理员，无权查看其人员';

/**
 * The people of an organisation for its admins (the R6 subtree rule): its own (the members of a
 * branch and everyone holding a post in it, as entry progress counts them, R17) or those of its
 * whole subtree; paged, in name order.
 */
export class OrgPeople {
  private readonly admins: Admins;

  constructor(private readonly deps: ServiceDeps) {
    this.admins = new Admins(deps);
  }

  async list(actorPersonId: number, orgId: number, opts: { filter: PeopleFilter; scope: 'own' | 'subtree'; page: number; pageSize: number }): Promise<OrgPeoplePage> {
    const org = Number.isSafeInteger(orgId) && orgId > 0 && (await this.admins.canManage(actorPersonId, orgId)) ? await Organisation.findByPk(orgId) : null;
    if (!org) throw new ForbiddenError(REFUSED);
    const { dialect, sequelize } = this.deps.db;
    const orgs = opts.scope === 'own' ? ':orgId' : `SELECT id FROM organisations WHERE ${underPath(dialect, 'path', ':path')}`;
    const ids = `SELECT p.id FROM people p WHERE p.branch_id IN (${orgs}) AND p.role <> 'applicant' UNION SELECT t.person_id FROM posts t WHERE t.org_id IN (${orgs})`;
    const filter = opts.filter === 'incomplete' ? `AND ${incompletePersonSql('p')}` : opts.filter === 'unverified' ? `AND p.verification_state <> 'verified'` : '';
    const where = `WHERE p.id IN (${ids}) ${filter}`;
    const replacements = { orgId: org.id, path: underPathPattern(dialect, org.path), limit: opts.pageSize, offset: 0 };
    const [{ n }] = await sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM people p ${where}`, { replacements, type: QueryTypes.SELECT });
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / opts.pageSize));
    const page = Math.min(Math.max(0, opts.page), pages - 1);
    const rows = await sequelize.query<Record<string, any>>(
      `SELECT p.id, p.name, p.id_masked, p.role, p.verification_state, p.verification_reason, p.phone, p.ethnicity, p.education, p.joined_league_at,
         CASE WHEN p.id_cipher IS NULL OR p.id_cipher = '' THEN 0 ELSE 1 END AS has_id, b.full_name AS branch_name
       FROM people p LEFT JOIN organisations b ON b.id = p.branch_id ${where} ORDER BY p.name, p.id LIMIT :limit OFFSET :offset`,
      { replacements: { ...replacements, offset: page * opts.pageSize }, type: QueryTypes.SELECT },
    );
    return {
      org: { id: org.id, fullName: org.fullName },
      items: rows.map((r) => ({
        id: Number(r.id), name: r.name, idMasked: r.id_masked, role: r.role, branchName: r.branch_name ?? null,
        verificationState: r.verification_state, verificationReason: r.verification_reason ?? null,
        missing: missingPersonFields({
          name: r.name, idCipher: Number(r.has_id) ? 'x' : null, role: r.role, joinedLeagueAt: r.joined_league_at, phone: r.phone, ethnicity: r.ethnicity, education: r.education,
        }),
      })),
      total,
      page,
      pages,
    };
  }
}
