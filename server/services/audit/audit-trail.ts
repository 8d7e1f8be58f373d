import { Op, WhereOptions } from 'sequelize';
import { underAnyPathLiteral } from '../../../models/fast-sql';
import { AuditLog, Organisation, Person } from '../../../models';
import { ForbiddenError } from '../../errors';
import type { Admins } from '../organisations/admins';
import type { ServiceDeps } from '../deps';
import { maskIdNumber } from '../../lib/id-number';

/** Entries per page of {@link AuditTrail.page}. */
export const AUDIT_PAGE_SIZE = 10;

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
  /** The people and organisations the entries refer to by id (targets, `personId`, `branchId` …), by id. */
  people: Record<number, { name: string; idMasked: string }>;
  orgs: Record<number, string>;
}

/** Fields of an entry's values that hold a person's id, and those that hold an organisation's. */
export const PERSON_FIELDS = ['personId', 'invitedByPersonId', 'decidedByPersonId'];
export const ORG_FIELDS = ['branchId', 'orgId', 'homeOrgId'];

/** The ids an entry refers to. */
function referenced(entry: AuditView): { people: number[]; orgs: number[] } {
  const people: number[] = [];
  const orgs: number[] = [];
  const id = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
  if (entry.targetType === 'person' && id(entry.targetId) !== null) people.push(id(entry.targetId)!);
  if (entry.targetType === 'organisation' && id(entry.targetId) !== null) orgs.push(id(entry.targetId)!);
  for (const values of [entry.before, entry.after]) {
    for (const [k, v] of Object.entries(values ?? {})) {
      if (PERSON_FIELDS.includes(k) && id(v) !== null) people.push(id(v)!);
      if (ORG_FIELDS.includes(k) && id(v) !== null) orgs.push(id(v)!);
    }
  }
  return { people, orgs };
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
  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
  ) {}

  /**
   * The latest audited changes of organisations the person administers or that lie below
   * them, newest first, `AUDIT_PAGE_SIZE` at a time; `before` is the previous page's cursor.
   */
  async page(actorPersonId: number, before?: number | null): Promise<AuditPage> {
    const roots = await this.admins.orgsOf(actorPersonId);
    if (!roots.length) throw new ForbiddenError('只有组织管理员可以查看操作记录。');
    const qg = this.deps.db.sequelize.getQueryInterface().queryGenerator as { quoteTable(t: string): string };
    const within = underAnyPathLiteral(
      this.deps.db.sequelize,
      'path',
      roots.map((r) => r.path),
    );
    // A subquery, not an id list: a provincial admin's subtree may hold many thousands of organisations.
    const where: WhereOptions = {
      orgId: { [Op.in]: this.deps.db.sequelize.literal(`(SELECT id FROM ${qg.quoteTable('organisations')} WHERE ${within})`) },
      ...(before ? { id: { [Op.lt]: before } } : {}),
    };
    const rows = await AuditLog.findAll({ where, order: [['id', 'DESC']], limit: AUDIT_PAGE_SIZE + 1 });
    const page = rows.slice(0, AUDIT_PAGE_SIZE);
    const entries: AuditView[] = page.map((r) => ({
      id: r.id,
      at: r.createdAt,
      actorName: null,
      orgId: r.orgId,
      orgName: null,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      before: parseValues(r.before),
      after: parseValues(r.after),
    }));
    const personIds = new Set<number>(page.map((r) => r.actorPersonId).filter((id): id is number => id !== null));
    const orgIds = new Set<number>(page.map((r) => r.orgId).filter((id): id is number => id !== null));
    for (const e of entries) {
      const refs = referenced(e);
      refs.people.forEach((id) => personIds.add(id));
      refs.orgs.forEach((id) => orgIds.add(id));
    }
    const [people, orgs] = await Promise.all([
      Person.findAll({ where: { id: [...personIds] }, attributes: ['id', 'name', 'idMasked'] }),
      Organisation.findAll({ where: { id: [...orgIds] }, attributes: ['id', 'fullName'] }),
    ]);
    const peopleById = Object.fromEntries(people.map((p) => [p.id, { name: p.name, idMasked: p.idMasked }]));
    const orgsById = Object.fromEntries(orgs.map((o) => [o.id, o.fullName]));
    page.forEach((r, i) => {
      entries[i].actorName = r.actorPersonId === null ? null : (peopleById[r.actorPersonId]?.name ?? null);
      entries[i].orgName = r.orgId === null ? null : (orgsById[r.orgId] ?? null);
    });
    return { entries, nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null, people: peopleById, orgs: orgsById };
  }
}
