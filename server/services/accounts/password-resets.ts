import { Op, QueryTypes } from 'sequelize';
import { Admin, Organisation, Person } from '../../../models';
import { ForbiddenError, UserError } from '../../errors';
import { recordAudit } from '../audit/audit';
import type { ChatBindings } from './chat-bindings';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';
import { type RateLimits, waitText, type LimitRule } from '../platform/rate-limits';

/** Resets one admin may do: 10 in a row, then waits, at most 30 an hour. */
export const RESET_RULE: LimitRule = { freeAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 900_000, windowMs: 3600_000, maxPerWindow: 30 };

/** A person an admin may reset, as the search shows them. */
export interface ResettablePerson {
  id: number;
  name: string;
  idMasked: string;
  /** Where the person belongs (branch), or where they serve. */
  orgName: string | null;
}

const NOT_YOURS = '找不到这个人，或对方不在您管理的组织范围内。只能重置本组织及下级组织的团员、团干部的密码。';

/**
 * Password resets by an admin (忘记密码请联系所在组织的管理员重置): the account goes back to R3's
 * initial password (the last 8 characters of the ID number) with a change forced at the next
 * login, every chat where the person is logged in is logged out, the person is told, and the
 * audit log records it. Only for people in the admin's subtree, never for an admin of the same
 * or a higher organisation, and rate-limited.
 */
export class PasswordResets {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly limits: RateLimits,
    private readonly bindings: ChatBindings,
    private readonly outbox: Outbox,
  ) {}

  /** People the admin may reset, found by ID number (exactly) or by name, at most 8. */
  async find(actorPersonId: number, query: string): Promise<ResettablePerson[]> {
    const roots = await this.rootsOf(actorPersonId);
    const text = query.trim();
    if (!text) return [];
    const byId = /^[\dXx\s]{15,20}$/.test(text) ? await this.byIdNumber(text) : null;
    const candidates = byId ? [byId] : await Person.findAll({ where: { name: text }, limit: 50, order: [['id', 'ASC']] });
    const found: ResettablePerson[] = [];
    for (const person of candidates) {
      if (found.length >= 8) break;
      if (person.id === actorPersonId || !(await this.mayReset(roots, person.id))) continue;
      const branch = person.branchId ? await Organisation.findByPk(person.branchId, { attributes: ['fullName'] }) : null;
      found.push({ id: person.id, name: person.name, idMasked: person.idMasked, orgName: branch?.fullName ?? null });
    }
    return found;
  }

  /** The person, if the admin may reset them (else a ForbiddenError that names nothing of them). */
  async requireResettable(actorPersonId: number, personId: number): Promise<ResettablePerson> {
    const roots = await this.rootsOf(actorPersonId);
    const person = await Person.findByPk(personId);
    if (!person || person.id === actorPersonId || !(await this.mayReset(roots, person.id))) throw new ForbiddenError(NOT_YOURS);
    const branch = person.branchId ? await Organisation.findByPk(person.branchId, { attributes: ['fullName'] }) : null;
    return { id: person.id, name: person.name, idMasked: person.idMasked, orgName: branch?.fullName ?? null };
  }

  /** Resets the password (see the class); returns how many chats were logged out. */
  async reset(actorPersonId: number, personId: number): Promise<{ person: ResettablePerson; loggedOut: number }> {
    const target = await this.requireResettable(actorPersonId, personId);
    const refused = await this.limits.claim(`password-reset:${actorPersonId}`, RESET_RULE);
    if (refused) throw UserError.limited('RESET_LIMITED', `重置密码的次数过多，请 ${waitText(refused.waitMs)}后再试。`);
    const loggedOut = await this.deps.db.transaction(async (t) => {
      const person = (await Person.findByPk(personId, { transaction: t, lock: this.deps.db.lockFor(t) }))!;
      person.passwordHash = null;
      person.mustChangePassword = true;
      await person.save({ transaction: t });
      // Told before the logins end: the notice goes to the chats the person uses now.
      await this.outbox.toPerson(person.id, { kind: 'account.password_reset', byPersonId: actorPersonId }, { t });
      const ended = await this.bindings.unbindAll(person.id, { t });
      await this.limits.reset(`login:person:${person.id}`, t);
      await recordAudit(
        {
          actorPersonId,
          orgId: person.branchId ?? (await this.linkedOrgs(person.id))[0] ?? null,
          action: 'account.password_reset',
          targetType: 'person',
          targetId: person.id,
          after: { personId: person.id, mustChangePassword: true },
        },
        t,
      );
      return ended;
    });
    return { person: target, loggedOut };
  }

  /** The organisations the admin acts from; none: not an admin. */
  private async rootsOf(actorPersonId: number): Promise<Organisation[]> {
    const admins = await Admin.findAll({ where: { personId: actorPersonId } });
    if (!admins.length) throw new ForbiddenError('只有组织管理员可以重置他人的密码。');
    return Organisation.findAll({ where: { id: admins.map((a) => a.orgId) } });
  }

  private async byIdNumber(text: string): Promise<Person | null> {
    const id = text.replace(/\s/g, '').toUpperCase();
    return Person.findOne({ where: { idHash: this.deps.vault.lookupHash(id) } });
  }

  /** The organisations a person belongs to or serves in: branch, posts, admin roles. */
  private async linkedOrgs(personId: number): Promise<number[]> {
    const rows = await this.deps.db.sequelize.query<{ org_id: number }>(
      `SELECT branch_id AS org_id FROM people WHERE id = :id AND branch_id IS NOT NULL
       UNION SELECT org_id FROM posts WHERE person_id = :id
       UNION SELECT org_id FROM admins WHERE person_id = :id`,
      { replacements: { id: personId }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => Number(r.org_id));
  }

  /**
   * In the admin's subtree (one of the person's organisations lies in it), and not an admin of
   * an organisation the admin does not stand strictly above.
   */
  private async mayReset(roots: Organisation[], personId: number): Promise<boolean> {
    const linked = await Organisation.findAll({ where: { id: await this.linkedOrgs(personId) } });
    const within = (org: Organisation, strictly: boolean) => roots.some((r) => org.path.startsWith(r.path) && (!strictly || org.id !== r.id));
    if (!linked.some((o) => within(o, false))) return false;
    const administered = await Admin.findAll({ where: { personId }, attributes: ['orgId'] });
    if (!administered.length) return true;
    const theirs = await Organisation.findAll({ where: { id: { [Op.in]: administered.map((a) => a.orgId) } } });
    return theirs.every((o) => within(o, true));
  }
}
