import { QueryTypes, type Transaction } from 'sequelize';
import { underAnyPath, underPath, underPathPattern } from '../../../models/fast-sql';
import { Admin, Organisation, Person } from '../../../models';
import { ForbiddenError } from '../../errors';
import type { Admins } from '../organisations/admins';
import { containsPattern, LIKE_ESCAPE } from '../../lib/like';
import type { ServiceDeps } from '../deps';

/** A member who pays fees, as admins' lists show them (ID number masked). */
export interface Payer {
  id: number;
  name: string;
  idMasked: string;
  branchId: number;
  branchName: string;
  branchPath: string;
  joinedLeagueAt: string | null;
  /** When the record was created here (fees are never counted from before it). */
  recordedAt: Date;
}

/** The same words for a person outside the admin's subtree and one that does not exist: nothing is learnt. */
export const NOT_YOUR_MEMBER = '找不到这个人，或对方不在您管理的组织范围内。只能办理本组织及下级组织团员的团费。';

/** Who pays: members and cadres whose membership is held in a branch (applicants do not). */
export const PAYER_ROLES = ['member', 'cadre'];

/** Columns of a payer, for queries joining `people p` and its branch `organisations b`. */
export const PAYER_COLUMNS = 'p.id, p.name, p.id_masked, p.branch_id, p.joined_league_at, p.created_at, b.full_name AS branch_name, b.path AS branch_path';

export const payerOf = (r: Record<string, any>): Payer => ({
  id: Number(r.id),
  name: r.name,
  idMasked: r.id_masked,
  branchId: Number(r.branch_id),
  branchName: r.branch_name,
  branchPath: r.branch_path,
  joinedLeagueAt: r.joined_league_at ?? null,
  recordedAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
});

/** Finding fee payers within an admin's organisations and those below (every lookup checks the scope). */
export class FeePayers {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
  ) {}

  /** The organisations the admin acts from (none: not an admin). */
  roots(actorPersonId: number, t?: Transaction): Promise<Organisation[]> {
    return this.admins.orgsOf(actorPersonId, t);
  }

  /** Payers whose name contains the text, or whose ID number it is, within the admin's subtrees; at most `limit`. */
  async find(actorPersonId: number, query: string, limit = 8): Promise<Payer[]> {
    const roots = await this.roots(actorPersonId);
    const text = query.trim();
    if (!roots.length || !text) return [];
    const id = text.replace(/\s/g, '').toUpperCase();
    const byId = /^\d{17}[\dX]$/.test(id);
    const where = byId ? 'p.id_hash = :hash' : `p.name LIKE :name ${LIKE_ESCAPE}`;
    const within = underAnyPath(
      this.deps.db.dialect,
      'b.path',
      roots.map((r) => r.path),
    );
    const rows = await this.deps.db.sequelize.query<Record<string, any>>(
      `SELECT ${PAYER_COLUMNS} FROM people p JOIN organisations b ON b.id = p.branch_id
       WHERE ${where} AND p.role IN (:roles) AND ${within.sql}
       ORDER BY p.name, p.id LIMIT :limit`,
      {
        replacements: { hash: byId ? this.deps.vault.lookupHash(id) : '', name: containsPattern(text), roles: PAYER_ROLES, limit, ...within.replacements },
        type: QueryTypes.SELECT,
      },
    );
    return rows.map(payerOf);
  }

  /** The payer, if in the admin's subtree; else a ForbiddenError that names nothing of them. */
  async require(actorPersonId: number, personId: number, t?: Transaction): Promise<Payer> {
    const person = Number.isSafeInteger(personId) ? await Person.findByPk(personId, { transaction: t }) : null;
    if (!person || person.branchId === null || !PAYER_ROLES.includes(person.role)) throw new ForbiddenError(NOT_YOUR_MEMBER);
    if (!(await this.admins.canManage(actorPersonId, person.branchId, t))) throw new ForbiddenError(NOT_YOUR_MEMBER);
    const branch = (await Organisation.findByPk(person.branchId, { transaction: t }))!;
    return {
      id: person.id,
      name: person.name,
      idMasked: person.idMasked,
      branchId: branch.id,
      branchName: branch.fullName,
      branchPath: branch.path,
      joinedLeagueAt: person.joinedLeagueAt,
      recordedAt: person.createdAt,
    };
  }

  /** An organisation the admin may see the fees of (its own or below), else a ForbiddenError. */
  async requireOrg(actorPersonId: number, orgId: number | null): Promise<Organisation> {
    const roots = await this.roots(actorPersonId);
    if (!roots.length) throw new ForbiddenError('只有组织管理员可以查看团费收缴情况。查看自己的团费请发送 /fee。');
    if (orgId === null) return roots[0];
    const org = Number.isSafeInteger(orgId) ? await Organisation.findByPk(orgId) : null;
    if (!org || !roots.some((r) => org.path.startsWith(r.path))) throw new ForbiddenError('找不到这个组织，或它不在您管理的范围内。');
    return org;
  }

  /** Organisations directly below `org`. */
  children(org: Organisation): Promise<Organisation[]> {
    return Organisation.findAll({ where: { parentId: org.id }, order: [['id', 'ASC']] });
  }

  /** Every payer of an organisation's subtree, by id, a page at a time (after `afterId`). */
  async under(path: string, opts: { afterId?: number; limit?: number } = {}): Promise<Payer[]> {
    const rows = await this.deps.db.sequelize.query<Record<string, any>>(
      `SELECT ${PAYER_COLUMNS} FROM people p JOIN organisations b ON b.id = p.branch_id
       WHERE ${underPath(this.deps.db.dialect, 'b.path', ':path')} AND p.role IN (:roles) AND p.id > :after ORDER BY p.id ${opts.limit ? 'LIMIT :limit' : ''}`,
      {
        replacements: { path: underPathPattern(this.deps.db.dialect, path), roles: PAYER_ROLES, after: opts.afterId ?? 0, limit: opts.limit ?? 0 },
        type: QueryTypes.SELECT,
      },
    );
    return rows.map(payerOf);
  }

  /** Admins who decide for a member: those of the branch, else of the nearest organisation above that has any. */
  async adminsFor(branchId: number): Promise<number[]> {
    const branch = await Organisation.findByPk(branchId);
    if (!branch) return [];
    const ids = branch.path.split('/').filter(Boolean).map(Number).reverse();
    for (const id of ids) {
      const rows = await Admin.findAll({ where: { orgId: id }, attributes: ['personId'] });
      if (rows.length) return rows.map((r) => r.personId);
    }
    return [];
  }
}
