import { Op, WhereOptions } from 'sequelize';
import { AuditLog, Organisation, Person } from '../../models';
import { ForbiddenError } from '../errors';
import { Admins } from './admins';
import type { ServiceDeps } from './deps';
import { maskIdNumber } from './id-number';

/** Entries per page of {@link AuditTrail.page}. */
export const AUDIT_PAGE_SIZE = 20;

/** One audited change as an admin may read it. */
export interface AuditView {
  id: number;
  at: Date;
  actorName: string | null;
  orgId: number | null;
  orgName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A page, newest first, with the cursor of the next one (null: no more). */
export interface AuditPage {
  entries: AuditView[];
  nextBefore: number | null;
}

/** Anything that looks like a whole ID number, masked (a second guard behind recordAudit's callers). */
const ID_LIKE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])|(?<![0-9])[0-9]{15}(?![0-9])/g;

function parseValues(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  const masked = json.replace(ID_LIKE, (id) => maskIdNumber(id.toUpperCase()));
  try {
    const value: unknown = JSON.parse(masked);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { value: masked };
  }
}

/** Reading the audit log (permissions, part 9 of issue #3): an admin sees its organisations' subtrees. */
export class AuditTrail {
  private readonly admins: Admins;

  constructor(private readonly deps: ServiceDeps) {
    this.admins = new Admins(deps);
  }

  /**
   * The latest audited changes of organisations the person administers or that lie below
   * them, newest first, `AUDIT_PAGE_SIZE` at a time; `before` is the previous page's cursor.
   */
  async page(actorPersonId: number, before?: number | null): Promise<AuditPage> {
    const roots = await this.admins.orgsOf(actorPersonId);
    if (!roots.length) throw new ForbiddenError('只有组织管理员可以查看操作记录。');
    const qg = this.deps.db.sequelize.getQueryInterface().queryGenerator as { quoteTable(t: string): string };
    const within = roots.map((r) => `path LIKE ${this.deps.db.sequelize.escape(`${r.path}%`)}`).join(' OR ');
    // A subquery, not an id list: a provincial admin's subtree may hold many thousands of organisations.
    const where: WhereOptions = {
      orgId: { [Op.in]: this.deps.db.sequelize.literal(`(SELECT id FROM ${qg.quoteTable('organisations')} WHERE ${within})`) },
      ...(before ? { id: { [Op.lt]: before } } : {}),
    };
    const rows = await AuditLog.findAll({ where, order: [['id', 'DESC']], limit: AUDIT_PAGE_SIZE + 1 });
    const page = rows.slice(0, AUDIT_PAGE_SIZE);
    const [people, orgs] = await Promise.all([
      Person.findAll({ where: { id: [...new Set(page.map((r) => r.actorPersonId).filter((id): id is number => id !== null))] }, attributes: ['id', 'name'] }),
      Organisation.findAll({ where: { id: [...new Set(page.map((r) => r.orgId).filter((id): id is number => id !== null))] }, attributes: ['id', 'fullName'] }),
    ]);
    const nameOf = new Map(people.map((p) => [p.id, p.name]));
    const orgOf = new Map(orgs.map((o) => [o.id, o.fullName]));
    return {
      entries: page.map((r) => ({
        id: r.id,
        at: r.createdAt,
        actorName: r.actorPersonId === null ? null : nameOf.get(r.actorPersonId) ?? null,
        orgId: r.orgId,
        orgName: r.orgId === null ? null : orgOf.get(r.orgId) ?? null,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        before: parseValues(r.before),
        after: parseValues(r.after),
      })),
      nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null,
    };
  }
}
