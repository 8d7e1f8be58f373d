import { QueryTypes } from 'sequelize';
import { Organisation } from '../../../models';
import { underPathPattern } from '../../../models/fast-sql';
import { subtreeMembersSql, subtreePeopleByNameSql, subtreePeopleSql } from '../../../models/subtree-sql';
import { ForbiddenError, UserError } from '../../errors';
import type { Admins } from '../organisations/admins';
import type { ServiceDeps } from '../deps';
import type { FeeReports } from '../fees/reports';
import { owingSheet, PEOPLE_EXPORT_MAX, peopleSheet, peopleSheetNames, type PeopleSheetFilter } from './org-people-sheet';
import { incompletePersonSql, missingPersonFields } from './person-fields';
import type { OrgPerson } from './org-person';

export type { OrgPerson } from './org-person';

/** Which people of an organisation to list: everyone, those lacking a required field (R16), or those not verified (R5). */
export type PeopleFilter = 'all' | 'incomplete' | 'unverified';

/** An exported list: the file and its names (see peopleSheetNames). */
export interface PeopleSheet {
  org: Organisation;
  rows: number;
  data: Buffer;
  name: string;
  ascii: string;
}

export interface OrgPeoplePage {
  org: { id: number; fullName: string };
  items: OrgPerson[];
  /** Counted up to {@link PEOPLE_COUNT_CAP}. */
  total: number;
  /** True when the list holds more than {@link PEOPLE_COUNT_CAP} people (shown as “10000+”): its pages end there. */
  totalCapped: boolean;
  page: number;
  pages: number;
}

/** People counted for a list's total at most: a province's millions are not counted for a page of 20. */
export const PEOPLE_COUNT_CAP = 10_000;

const REFUSED = '您不是该组织或其上级组织的管理员，无权查看其人员';

/** Which people and of what part of the tree. */
export interface PeopleQuery {
  filter: PeopleFilter;
  scope: 'own' | 'subtree';
}

const PERSON_COLUMNS = `p.id, p.name, p.id_masked, p.role, p.verification_state, p.verification_reason, p.phone, p.ethnicity, p.education, p.joined_league_at,
  CASE WHEN p.id_cipher IS NULL OR p.id_cipher = '' THEN 0 ELSE 1 END AS has_id, b.full_name AS branch_name`;

/** An organisation's list as SQL: its people with `columns` and more conditions (`AND …`), and what it binds. */
interface Selection {
  org: Organisation;
  people(columns: string, where?: string): string;
  /** Their branches' members only (of a large subtree, nearly all its people). */
  members(columns: string): string;
  /** A page of the subtree's people by walking people in name order; null for an organisation's own. */
  pageByName: string | null;
  replacements: Record<string, unknown>;
}

/** `n` may be a count stopped past `max` (more than that, then). */
const tooMany = (n: number, max: number) =>
  UserError.invalid(
    'EXPORT_TOO_LARGE',
    `名单${n > max + 1 ? `共 ${n} 人，` : ''}超过一次最多导出的 ${max} 人。请进入下级组织分别导出，或选用筛选条件缩小范围。`,
  );

const personOf = (r: Record<string, any>): OrgPerson => ({
  id: Number(r.id),
  name: r.name,
  idMasked: r.id_masked,
  role: r.role,
  branchName: r.branch_name ?? null,
  verificationState: r.verification_state,
  verificationReason: r.verification_reason ?? null,
  missing: missingPersonFields({
    name: r.name,
    idCipher: Number(r.has_id) ? 'x' : null,
    role: r.role,
    joinedLeagueAt: r.joined_league_at,
    phone: r.phone,
    ethnicity: r.ethnicity,
    education: r.education,
  }),
});

/**
 * The people of an organisation for its admins (the R6 subtree rule): its own (the members of a
 * branch and everyone holding a post in it, as entry progress counts them, R17) or those of its
 * whole subtree; paged, in name order, or every page as a spreadsheet.
 */
export class OrgPeople {
  /** A list's total is counted up to this (tests lower it). */
  countCap = PEOPLE_COUNT_CAP;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
    /** The owing list's source (R20), for its export. */
    private readonly reports: FeeReports,
  ) {}

  async list(actorPersonId: number, orgId: number, opts: PeopleQuery & { page: number; pageSize: number }): Promise<OrgPeoplePage> {
    const selected = await this.selection(actorPersonId, orgId, opts);
    const { org, replacements } = selected;
    const { sequelize } = this.deps.db;
    const counted = await this.count(selected, this.countCap + 1);
    const totalCapped = counted > this.countCap;
    const total = Math.min(counted, this.countCap);
    const pages = Math.max(1, Math.ceil(total / opts.pageSize));
    const page = Math.min(Math.max(0, opts.page), pages - 1);
    // Past the cap, sorting the subtree costs more than walking people by name to the page.
    const sql =
      totalCapped && selected.pageByName
        ? selected.pageByName
        : `SELECT * FROM (${selected.people(PERSON_COLUMNS)}) x ORDER BY x.name, x.id LIMIT :limit OFFSET :offset`;
    const rows = await sequelize.query<Record<string, any>>(sql, {
      replacements: { ...replacements, limit: opts.pageSize, offset: page * opts.pageSize },
      type: QueryTypes.SELECT,
    });
    return { org: { id: org.id, fullName: org.fullName }, items: rows.map(personOf), total, totalCapped, page, pages };
  }

  /**
   * Every person of the list in its order, a batch at a time (keyset on name and id, so a batch
   * costs the same at the end as at the start), at most `max`: for an export.
   */
  async *each(actorPersonId: number, orgId: number, opts: PeopleQuery & { max: number; batchSize?: number }): AsyncGenerator<OrgPerson> {
    yield* this.rowsOf(await this.selection(actorPersonId, orgId, opts), opts.max, opts.batchSize);
  }

  private async *rowsOf({ people, replacements }: Selection, max: number, batch = 2000): AsyncGenerator<OrgPerson> {
    let after: { name: string; id: number } | null = null;
    for (let left = max; left > 0;) {
      const rest = after ? 'AND (p.name > :afterName OR (p.name = :afterName AND p.id > :afterId))' : '';
      const rows: Record<string, any>[] = await this.deps.db.sequelize.query<Record<string, any>>(
        `SELECT * FROM (${people(PERSON_COLUMNS, rest)}) x ORDER BY x.name, x.id LIMIT :limit`,
        { replacements: { ...replacements, afterName: after?.name ?? '', afterId: after?.id ?? 0, limit: Math.min(batch, left) }, type: QueryTypes.SELECT },
      );
      for (const r of rows) yield personOf(r);
      if (rows.length < Math.min(batch, left)) return;
      left -= rows.length;
      const last = rows[rows.length - 1];
      after = { name: last.name, id: Number(last.id) };
    }
  }

  /**
   * The list of a filter as a spreadsheet, every page of it (for `owing`, the owing list of R20,
   * over the subtree); more than `max` people is refused with a hint to export lower down.
   */
  async exportSheet(
    actorPersonId: number,
    orgId: number,
    opts: { filter: PeopleSheetFilter; scope: PeopleQuery['scope'] },
    max = PEOPLE_EXPORT_MAX,
  ): Promise<PeopleSheet> {
    const at = this.deps.now();
    if (opts.filter === 'owing') {
      const { org, items } = await this.reports.owingAll(actorPersonId, orgId, at);
      if (items.length > max) throw tooMany(items.length, max);
      return { org, rows: items.length, data: await owingSheet(items), ...peopleSheetNames(org, 'owing', at) };
    }
    const selected = await this.selection(actorPersonId, orgId, { filter: opts.filter, scope: opts.scope });
    const total = await this.count(selected, max + 1);
    if (total > max) throw tooMany(total, max);
    return { org: selected.org, rows: total, data: await peopleSheet(this.rowsOf(selected, max)), ...peopleSheetNames(selected.org, opts.filter, at) };
  }

  /** The organisation if the actor manages it, and the SQL that picks the list's people. */
  private async selection(actorPersonId: number, orgId: number, opts: PeopleQuery): Promise<Selection> {
    const org = Number.isSafeInteger(orgId) && orgId > 0 && (await this.admins.canManage(actorPersonId, orgId)) ? await Organisation.findByPk(orgId) : null;
    if (!org) throw new ForbiddenError(REFUSED);
    const { dialect } = this.deps.db;
    const filter =
      opts.filter === 'incomplete' ? `AND ${incompletePersonSql('p')}` : opts.filter === 'unverified' ? `AND p.verification_state <> 'verified'` : '';
    return {
      org,
      people: (columns, where = '') => subtreePeopleSql(dialect, opts.scope, columns, `${filter} ${where}`),
      members: (columns) => subtreeMembersSql(dialect, opts.scope, columns, filter),
      pageByName: opts.scope === 'subtree' ? subtreePeopleByNameSql(dialect, PERSON_COLUMNS, filter) : null,
      replacements: { orgId: org.id, path: underPathPattern(dialect, org.path) },
    };
  }

  /**
   * How many people the list holds, counted up to `upTo`: a province's 3,000,000 are not
   * counted for a page. The branches' members first: when they reach `upTo` the post holders
   * need not be read (PostgreSQL ran both halves of the union at once).
   */
  private async count({ people, members, replacements }: Selection, upTo: number): Promise<number> {
    const counted = async (sql: string) => {
      const [{ n }] = await this.deps.db.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql} LIMIT :upTo) x`, {
        replacements: { ...replacements, upTo },
        type: QueryTypes.SELECT,
      });
      return Number(n);
    };
    const n = await counted(members('p.id'));
    return n >= upTo ? n : counted(people('p.id'));
  }
}
