import { Op, QueryTypes, type Transaction } from 'sequelize';
import { Activity, ActivityParticipant, Organisation } from '../../../models';
import type { ParticipantResponse } from '../../../models/ActivityParticipant';
import type { OrgKind } from '../../../models/Organisation';
import { ForbiddenError, UserError } from '../../errors';
import type { Activities } from './activities';
import { bulkInsert, underPathPattern } from '../../../models/fast-sql';
import { subtreePeopleSql } from '../../../models/subtree-sql';
import { containsPattern, LIKE_ESCAPE, whereContains } from '../../lib/like';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';

/** R18: at most this many people take part in one activity. */
export const MAX_PARTICIPANTS = 1000;

/** A person as the picker shows them. */
export interface Pickable {
  id: number;
  name: string;
  idMasked: string;
  orgName: string | null;
  /** Already on the activity's list. */
  picked: boolean;
}

/** A participant as the organiser sees them. */
export interface ParticipantView extends Omit<Pickable, 'picked'> {
  response: ParticipantResponse;
  signedInAt: Date | null;
  walkIn: boolean;
}

/** An organisation as the picker shows it: how many people it and those below it have. */
export interface PickableOrg {
  id: number;
  fullName: string;
  kind: OrgKind;
  people: number;
  /** Of those, already on the activity's list (全选 would add `people - picked`). */
  picked: number;
}

/** One organisation of the picker: itself, the organisations directly below, its own people (a page). */
export interface PickerView {
  activity: { id: number; title: string };
  org: PickableOrg;
  /** The organisation the picker may go up to (null at the top of the activity's scope). */
  parentId: number | null;
  children: PickableOrg[];
  people: Pickable[];
  /** People of this organisation itself (not those below), for paging. */
  peopleTotal: number;
  picked: number;
}

const OUTSIDE = '只能选择本活动所属组织及其下级组织的人员。';
export const PEOPLE_PAGE = 8;

/** What the picker shows of a person (`p`) and their branch (`b`), as subtreePeopleSql's columns. */
const PICKABLE_COLUMNS = 'p.id, p.name, p.id_masked, b.full_name AS org_name';

/**
 * Who takes part (R18) and their answers (活动登记, R19). An admin picks from the activity's
 * organisation and those below it (a branch admin from its branch): people one by one, or a
 * whole organisation at once (全选); at most MAX_PARTICIPANTS, taken atomically. Participants
 * are told through the outbox, with 报名 / 不参加 buttons.
 */
export class ActivityParticipants {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly activities: Activities,
    private readonly outbox: Outbox,
  ) {}

  /** One organisation of the activity's scope (the top when `orgId` is null), as the picker shows it. */
  async browse(actorPersonId: number, activityId: number, orgId: number | null, page = 0, pageSize = PEOPLE_PAGE): Promise<PickerView> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const org = orgId === null ? scope : await this.orgInScope(scope, orgId);
    const children = await Organisation.findAll({ where: { parentId: org.id }, order: [['id', 'ASC']], limit: 30 });
    const counted = await Promise.all([org, ...children].map((o) => this.pickable(o, activity.id)));
    const { dialect } = this.deps.db;
    const people = await this.query<PersonRow>(
      `SELECT x.*, ap.id AS picked FROM (${subtreePeopleSql(dialect, 'own', PICKABLE_COLUMNS)}) x
       LEFT JOIN activity_participants ap ON ap.person_id = x.id AND ap.activity_id = :activityId
       ORDER BY x.name, x.id LIMIT :limit OFFSET :offset`,
      { orgId: org.id, activityId: activity.id, limit: pageSize, offset: Math.max(0, page) * pageSize },
    );
    const [{ n }] = await this.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (${subtreePeopleSql(dialect, 'own', 'p.id')}) x`, { orgId: org.id });
    return {
      activity: { id: activity.id, title: activity.title },
      org: counted[0],
      parentId: org.id === scope.id ? null : org.parentId,
      children: counted.slice(1),
      people: people.map(pickableOf),
      peopleTotal: Number(n),
      picked: await this.count(activity.id),
    };
  }

  /** People of the activity's scope whose name contains `name`, at most 10. */
  async searchPeople(actorPersonId: number, activityId: number, name: string): Promise<Pickable[]> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const text = name.trim();
    if (!text) return [];
    const rows = await this.query<PersonRow>(
      `SELECT x.*, ap.id AS picked FROM (${subtreePeopleSql(this.deps.db.dialect, 'subtree', PICKABLE_COLUMNS, `AND p.name LIKE :name ${LIKE_ESCAPE}`)}) x
       LEFT JOIN activity_participants ap ON ap.person_id = x.id AND ap.activity_id = :activityId
       ORDER BY x.name, x.id LIMIT 10`,
      { name: containsPattern(text), path: this.pattern(scope.path), activityId: activity.id },
    );
    return rows.map(pickableOf);
  }

  /** Organisations of the activity's scope whose full or short name has every word typed, each with how many people it has. */
  async searchOrgs(actorPersonId: number, activityId: number, query: string): Promise<PickableOrg[]> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const words = query.trim().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const sequelize = this.deps.db.sequelize;
    const orgs = await Organisation.findAll({
      where: {
        path: { [Op.startsWith]: scope.path },
        [Op.and]: words.map((w) => ({ [Op.or]: [whereContains(sequelize, 'full_name', w), whereContains(sequelize, 'short_name', w)] })),
      },
      order: [
        ['depth', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: 6,
    });
    return Promise.all(orgs.map((o) => this.pickable(o, activity.id)));
  }

  /** Adds people by id (each checked to be in scope: a forged button too). Returns how many were added and the total. */
  async add(actorPersonId: number, activityId: number, personIds: number[]): Promise<{ added: number; total: number }> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const ids = [...new Set(personIds)].filter((id) => Number.isSafeInteger(id));
    if (!ids.length) return { added: 0, total: await this.count(activity.id) };
    if ((await this.idsUnder(scope, ids)).length !== ids.length) throw new ForbiddenError(OUTSIDE);
    return this.insert(activity, ids);
  }

  /** Adds everyone of an organisation in scope and those below it (全选); refused with the counts when over the limit. */
  async addOrg(actorPersonId: number, activityId: number, orgId: number): Promise<{ added: number; total: number; org: string }> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const org = await this.orgInScope(scope, orgId);
    // Refused before the ids are read: 全选 of a province is a count, not 100,000 rows.
    const [{ n }] = await this.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (${this.peopleUnder()}) x WHERE x.id NOT IN (SELECT person_id FROM activity_participants WHERE activity_id = :activityId)`,
      { path: this.pattern(org.path), activityId: activity.id },
    );
    this.checkLimit(await this.count(activity.id), Number(n));
    return { ...(await this.insert(activity, await this.idsUnder(org))), org: org.fullName };
  }

  /** Picks a person not on the list, or takes one on it off (a tick box); returns which, and the total. */
  async toggle(actorPersonId: number, activityId: number, personId: number): Promise<{ picked: boolean; total: number }> {
    const { activity } = await this.scopeOf(actorPersonId, activityId);
    if (await ActivityParticipant.findOne({ where: { activityId: activity.id, personId } }))
      return { picked: false, total: await this.remove(actorPersonId, activityId, personId) };
    return { picked: true, total: (await this.add(actorPersonId, activityId, [personId])).total };
  }

  /** Takes one person off the list; returns how many remain. */
  async remove(actorPersonId: number, activityId: number, personId: number): Promise<number> {
    const { activity } = await this.scopeOf(actorPersonId, activityId);
    await this.deps.db.transaction((t) => ActivityParticipant.destroy({ where: { activityId: activity.id, personId }, transaction: t }));
    return this.count(activity.id);
  }

  /**
   * Tells every participant not told yet, through the outbox, with 报名 / 不参加 buttons (活动登记,
   * R19). One who is not logged in anywhere cannot be told now; a later call tells them once
   * they are. Returns how many were told now, were told before, and could not be reached.
   */
  async notify(actorPersonId: number, activityId: number): Promise<{ told: number; toldBefore: number; unreachable: number }> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    return this.deps.db.transaction(async (t) => {
      const rows = await ActivityParticipant.findAll({ where: { activityId: activity.id }, attributes: ['personId', 'notifiedAt'], transaction: t });
      const untold = rows.filter((r) => !r.notifiedAt).map((r) => r.personId);
      const { reached } = await this.outbox.notify(
        untold,
        { kind: 'activity.invitation', activityId: activity.id },
        { dedupeKey: `activity:${activity.id}:invite`, t },
      );
      for (let i = 0; i < reached.length; i += 500) {
        await ActivityParticipant.update(
          { notifiedAt: this.deps.now() },
          { where: { activityId: activity.id, personId: reached.slice(i, i + 500) }, transaction: t },
        );
      }
      return { told: reached.length, toldBefore: rows.length - untold.length, unreachable: untold.length - reached.length };
    });
  }

  /** A participant's answer (活动登记): only their own, only while the activity has not ended. */
  async respond(personId: number, activityId: number, register: boolean): Promise<{ activity: Activity; response: ParticipantResponse }> {
    const activity = Number.isSafeInteger(activityId) && activityId > 0 ? await Activity.findByPk(activityId) : null;
    const row = activity && (await ActivityParticipant.findOne({ where: { activityId: activity.id, personId } }));
    if (!activity || !row) throw new ForbiddenError('您不在这项活动的参加人员名单中。如需参加，请联系活动组织者。');
    if (activity.endsAt.getTime() < this.deps.now().getTime()) throw UserError.invalid('ACTIVITY_OVER', '这项活动已经结束，不能再报名或更改。');
    const response: ParticipantResponse = register ? 'registered' : 'declined';
    await this.deps.db.transaction((t) => row.update({ response, respondedAt: this.deps.now() }, { transaction: t }));
    return { activity, response };
  }

  /** Everyone picked, with their answers and sign-ins, for the organiser. */
  async list(actorPersonId: number, activityId: number): Promise<{ activity: Activity; orgName: string; participants: ParticipantView[] }> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    return { activity, orgName: scope.fullName, participants: await this.views(activity.id) };
  }

  /** The rows of an activity, names and branches joined, in name order. */
  async views(activityId: number): Promise<ParticipantView[]> {
    const rows = await this.query<PersonRow & { response: ParticipantResponse; signed_in_at: string | Date | null; walk_in: number | boolean }>(
      `SELECT p.id, p.name, p.id_masked, o.full_name AS org_name, ap.response, ap.signed_in_at, ap.walk_in
       FROM activity_participants ap JOIN people p ON p.id = ap.person_id LEFT JOIN organisations o ON o.id = p.branch_id
       WHERE ap.activity_id = :activityId ORDER BY p.name, p.id`,
      { activityId },
    );
    return rows.map((r) => {
      const { picked: _picked, ...person } = pickableOf(r);
      return { ...person, response: r.response, signedInAt: r.signed_in_at ? new Date(r.signed_in_at) : null, walkIn: !!r.walk_in };
    });
  }

  /** One person's place on an activity's list (their answer, their sign-in), or null when they are not on it. */
  participation(activityId: number, personId: number): Promise<ActivityParticipant | null> {
    return ActivityParticipant.findOne({ where: { activityId, personId } });
  }

  /** The activities a person takes part in (their record of what they attended), latest start first. */
  async ofPerson(personId: number, limit = 20): Promise<Array<{ activity: Activity; response: ParticipantResponse; signedInAt: Date | null }>> {
    const rows = await ActivityParticipant.findAll({ where: { personId }, order: [['id', 'DESC']], limit: 200 });
    const activities = await Activity.findAll({ where: { id: rows.map((r) => r.activityId) } });
    const byId = new Map(activities.map((a) => [a.id, a]));
    return rows
      .map((r) => ({ activity: byId.get(r.activityId)!, response: r.response, signedInAt: r.signedInAt }))
      .filter((r) => r.activity)
      .sort((a, b) => b.activity.startsAt.getTime() - a.activity.startsAt.getTime())
      .slice(0, limit);
  }

  /** The activity and the organisation its people are picked from; the actor must manage it. */
  async scopeOf(actorPersonId: number, activityId: number, t?: Transaction): Promise<{ activity: Activity; scope: Organisation }> {
    const activity = await this.activities.requireManaged(actorPersonId, activityId, t);
    return { activity, scope: (await Organisation.findByPk(activity.orgId, { transaction: t }))! };
  }

  /** The ids of the people of an organisation and those below it (of `among` only, when given). */
  async idsUnder(org: Organisation, among?: number[]): Promise<number[]> {
    const rows = await this.query<{ id: number }>(`SELECT x.id FROM (${this.peopleUnder(among ? 'AND p.id IN (:among)' : '')}) x`, {
      path: this.pattern(org.path),
      among: among ?? [],
    });
    return rows.map((r) => Number(r.id));
  }

  /** The ids (`id`) of the people at or below `:path` (R18: the organisation "and every organisation below it"). */
  private peopleUnder(where = ''): string {
    return subtreePeopleSql(this.deps.db.dialect, 'subtree', 'p.id AS id', where);
  }

  private pattern(path: string): string {
    return underPathPattern(this.deps.db.dialect, path);
  }

  private async pickable(org: Organisation, activityId: number): Promise<PickableOrg> {
    const [{ n, picked }] = await this.query<{ n: number; picked: number }>(
      `SELECT COUNT(*) AS n, COUNT(ap.id) AS picked FROM (${this.peopleUnder()}) x
       LEFT JOIN activity_participants ap ON ap.person_id = x.id AND ap.activity_id = :activityId`,
      { path: this.pattern(org.path), activityId },
    );
    return { id: org.id, fullName: org.fullName, kind: org.kind, people: Number(n), picked: Number(picked) };
  }

  private async orgInScope(scope: Organisation, orgId: number): Promise<Organisation> {
    const org = Number.isSafeInteger(orgId) && orgId > 0 ? await Organisation.findByPk(orgId) : null;
    if (!org || !org.path.startsWith(scope.path)) throw new ForbiddenError(OUTSIDE);
    return org;
  }

  private count(activityId: number, t?: Transaction): Promise<number> {
    return ActivityParticipant.count({ where: { activityId }, transaction: t });
  }

  private checkLimit(present: number, adding: number): void {
    if (present + adding <= MAX_PARTICIPANTS) return;
    throw UserError.invalid(
      'TOO_MANY_PARTICIPANTS',
      `每项活动最多 ${MAX_PARTICIPANTS} 人：已选 ${present} 人，这次要加的 ${adding} 人会超过上限（还能再选 ${MAX_PARTICIPANTS - present} 人）。请分开举办，或改为选择下级组织或个人。`,
    );
  }

  /** Inserts the new ones, the count checked in the same transaction with the activity locked: never over MAX_PARTICIPANTS. */
  private async insert(activity: Activity, personIds: number[]): Promise<{ added: number; total: number }> {
    return this.deps.db.transaction(async (t) => {
      await Activity.findByPk(activity.id, { transaction: t, lock: this.deps.db.lockFor(t) });
      const rows = await ActivityParticipant.findAll({ where: { activityId: activity.id }, attributes: ['personId'], transaction: t, raw: true });
      const present = new Set(rows.map((p) => p.personId));
      const fresh = [...new Set(personIds)].filter((id) => !present.has(id));
      this.checkLimit(present.size, fresh.length);
      // Through the driver: 1,000 rows of 全选 at once (Sequelize's bulkCreate would double the pick's time).
      const same = { activity_id: activity.id, response: 'invited', walk_in: false, created_at: this.deps.now() };
      if (fresh.length)
        await bulkInsert(
          this.deps.db.sequelize,
          t,
          'activity_participants',
          ['person_id'],
          fresh.map((id) => [id]),
          same,
        );
      return { added: fresh.length, total: present.size + fresh.length };
    });
  }

  private query<T extends object>(sql: string, replacements: Record<string, unknown>): Promise<T[]> {
    return this.deps.db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  }
}

type PersonRow = { id: number; name: string; id_masked: string; org_name: string | null; picked?: number | null };

const pickableOf = (r: PersonRow): Pickable => ({ id: Number(r.id), name: r.name, idMasked: r.id_masked, orgName: r.org_name, picked: r.picked != null });
