import { Op, QueryTypes, type Transaction } from 'sequelize';
import { Activity, ActivityParticipant, Organisation } from '../../models';
import type { ParticipantResponse } from '../../models/ActivityParticipant';
import { ForbiddenError, UserError } from '../errors';
import { Activities, ACTIVITY_KIND_LABELS } from './activities';
import { formatChinaDateTime } from './china-datetime';
import type { ServiceDeps } from './deps';
import { Outbox, type OutgoingMessage } from './outbox';

/** R18: at most this many people take part in one activity. */
export const MAX_PARTICIPANTS = 1000;
/** Action prefix of a participant's buttons: `!act:r:<id>` 报名, `!act:d:<id>` 不参加. */
export const ACTIVITY_ACTION = 'act';

/** A person as the picker shows them. */
export interface Pickable {
  id: number;
  name: string;
  idMasked: string;
  orgName: string | null;
}

/** A participant as the organiser sees them. */
export interface ParticipantView extends Pickable {
  response: ParticipantResponse;
  signedInAt: Date | null;
  walkIn: boolean;
}

const OUTSIDE = '只能选择本活动所属组织及其下级组织的人员。';

/**
 * Who takes part (R18) and their answers (活动登记, R19). An admin picks from the activity's
 * organisation and those below it (a branch admin from its branch): people one by one, or a
 * whole organisation at once; at most MAX_PARTICIPANTS. Participants are told through the
 * outbox, with 报名 / 不参加 buttons.
 */
export class ActivityParticipants {
  private readonly activities: Activities;
  private readonly outbox: Outbox;

  constructor(private readonly deps: ServiceDeps) {
    this.activities = new Activities(deps);
    this.outbox = new Outbox(deps);
  }

  /** People of the activity's scope whose name contains `name`, at most 10. */
  async searchPeople(actorPersonId: number, activityId: number, name: string): Promise<Pickable[]> {
    const { scope } = await this.scopeOf(actorPersonId, activityId);
    const text = name.trim();
    if (!text) return [];
    const rows = await this.peopleIn(scope, { name: text, limit: 10 });
    return rows;
  }

  /** Organisations of the activity's scope matching `query`, each with how many people it has. */
  async searchOrgs(actorPersonId: number, activityId: number, query: string): Promise<Array<{ id: number; fullName: string; people: number }>> {
    const { scope } = await this.scopeOf(actorPersonId, activityId);
    const words = query.trim().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const orgs = await Organisation.findAll({
      where: { path: { [Op.startsWith]: scope.path }, [Op.and]: words.map((w) => ({ [Op.or]: [{ fullName: { [Op.substring]: w } }, { shortName: { [Op.substring]: w } }] })) },
      order: [['depth', 'ASC'], ['id', 'ASC']],
      limit: 8,
    });
    return Promise.all(orgs.map(async (o) => ({ id: o.id, fullName: o.fullName, people: (await this.idsUnder(o)).length })));
  }

  /** Adds people by id (each checked to be in scope: a forged button too). Returns how many were added and the total. */
  async add(actorPersonId: number, activityId: number, personIds: number[]): Promise<{ added: number; total: number }> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const ids = [...new Set(personIds)];
    if (!ids.length) return { added: 0, total: await ActivityParticipant.count({ where: { activityId: activity.id } }) };
    if ((await this.idsUnder(scope, ids)).length !== ids.length) throw new ForbiddenError(OUTSIDE);
    return this.insert(activity, ids);
  }

  /** Adds everyone of an organisation in scope and those below it (全选). */
  async addOrg(actorPersonId: number, activityId: number, orgId: number): Promise<{ added: number; total: number; org: string }> {
    const { activity, scope } = await this.scopeOf(actorPersonId, activityId);
    const org = Number.isSafeInteger(orgId) ? await Organisation.findByPk(orgId) : null;
    if (!org || !org.path.startsWith(scope.path)) throw new ForbiddenError(OUTSIDE);
    return { ...(await this.insert(activity, await this.idsUnder(org))), org: org.fullName };
  }

  async remove(actorPersonId: number, activityId: number, personId: number): Promise<number> {
    const { activity } = await this.scopeOf(actorPersonId, activityId);
    await this.deps.db.transaction((t) => ActivityParticipant.destroy({ where: { activityId: activity.id, personId }, transaction: t }));
    return ActivityParticipant.count({ where: { activityId: activity.id } });
  }

  /** Tells every participant not told yet, through the outbox, with 报名 / 不参加 buttons. Returns how many were told. */
  async notify(actorPersonId: number, activityId: number): Promise<number> {
    const { activity } = await this.scopeOf(actorPersonId, activityId);
    const org = (await Organisation.findByPk(activity.orgId))!;
    const participants = await ActivityParticipant.findAll({ where: { activityId: activity.id }, attributes: ['personId'] });
    let told = 0;
    await this.deps.db.transaction(async (t) => {
      for (const p of participants) told += await this.outbox.toPerson(p.personId, invitation(activity, org.fullName), { dedupeKey: `activity:${activity.id}:invite:${p.personId}`, t });
    });
    return told;
  }

  /** A participant's answer (活动登记): only their own, only while the activity has not ended. */
  async respond(personId: number, activityId: number, register: boolean): Promise<{ activity: Activity; response: ParticipantResponse }> {
    const activity = Number.isSafeInteger(activityId) ? await Activity.findByPk(activityId) : null;
    const row = activity && (await ActivityParticipant.findOne({ where: { activityId: activity.id, personId } }));
    if (!activity || !row) throw new ForbiddenError('您不在这项活动的参加人员名单中。如需参加，请联系活动组织者。');
    if (activity.endsAt.getTime() < this.deps.now().getTime()) throw new UserError('ACTIVITY_OVER', '这项活动已经结束，不能再报名或更改。');
    const response: ParticipantResponse = register ? 'registered' : 'declined';
    await this.deps.db.transaction((t) => row.update({ response, respondedAt: this.deps.now() }, { transaction: t }));
    return { activity, response };
  }

  /** Everyone picked, with their answers and sign-ins, for the organiser. */
  async list(actorPersonId: number, activityId: number): Promise<{ activity: Activity; participants: ParticipantView[] }> {
    const { activity } = await this.scopeOf(actorPersonId, activityId);
    return { activity, participants: await this.views(activity.id) };
  }

  /** The rows of an activity, names and branches joined, in name order. */
  async views(activityId: number): Promise<ParticipantView[]> {
    const rows = await this.deps.db.sequelize.query<{ id: number; name: string; id_masked: string; org_name: string | null; response: ParticipantResponse; signed_in_at: string | Date | null; walk_in: number | boolean }>(
      `SELECT p.id, p.name, p.id_masked, o.full_name AS org_name, ap.response, ap.signed_in_at, ap.walk_in
       FROM activity_participants ap JOIN people p ON p.id = ap.person_id LEFT JOIN organisations o ON o.id = p.branch_id
       WHERE ap.activity_id = :activityId ORDER BY p.name, p.id`,
      { replacements: { activityId }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({
      id: Number(r.id), name: r.name, idMasked: r.id_masked, orgName: r.org_name, response: r.response,
      signedInAt: r.signed_in_at ? new Date(r.signed_in_at) : null, walkIn: !!r.walk_in,
    }));
  }

  /** The activities a person takes part in (their record of what they attended), newest first. */
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

  /**
   * The people of an organisation and those below it: members of its branches, and cadres
   * who hold a post in it or below (of `among` only, when given).
   */
  async idsUnder(org: Organisation, among?: number[]): Promise<number[]> {
    const only = among ? 'AND p.id IN (:among)' : '';
    const onlyPosts = among ? 'AND t.person_id IN (:among)' : '';
    const rows = await this.deps.db.sequelize.query<{ id: number }>(
      `SELECT p.id FROM people p JOIN organisations o ON o.id = p.branch_id WHERE o.path LIKE :path AND p.role <> 'applicant' ${only}
       UNION
       SELECT t.person_id FROM posts t JOIN organisations o ON o.id = t.org_id WHERE o.path LIKE :path ${onlyPosts}`,
      { replacements: { path: `${org.path}%`, among: among ?? [] }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => Number(r.id));
  }

  /** People of an organisation's subtree whose name contains `name`. */
  private async peopleIn(org: Organisation, opts: { name: string; limit: number }): Promise<Pickable[]> {
    const rows = await this.deps.db.sequelize.query<{ id: number; name: string; id_masked: string; org_name: string | null }>(
      `SELECT p.id, p.name, p.id_masked, b.full_name AS org_name FROM people p LEFT JOIN organisations b ON b.id = p.branch_id
       WHERE p.name LIKE :name AND p.id IN (
         SELECT p2.id FROM people p2 JOIN organisations o ON o.id = p2.branch_id WHERE o.path LIKE :path AND p2.role <> 'applicant'
         UNION SELECT t.person_id FROM posts t JOIN organisations o ON o.id = t.org_id WHERE o.path LIKE :path)
       ORDER BY p.name, p.id LIMIT :limit`,
      { replacements: { name: `%${opts.name.replace(/[%_\\]/g, '')}%`, path: `${org.path}%`, limit: opts.limit }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name, idMasked: r.id_masked, orgName: r.org_name }));
  }

  /** Inserts the new ones (the count checked in the same transaction: at most MAX_PARTICIPANTS). */
  private async insert(activity: Activity, personIds: number[]): Promise<{ added: number; total: number }> {
    return this.deps.db.transaction(async (t) => {
      await Activity.findByPk(activity.id, { transaction: t, lock: this.deps.db.lockFor(t) }); // one picker at a time per activity
      const present = new Set((await ActivityParticipant.findAll({ where: { activityId: activity.id }, attributes: ['personId'], transaction: t })).map((p) => p.personId));
      const fresh = [...new Set(personIds)].filter((id) => !present.has(id));
      if (present.size + fresh.length > MAX_PARTICIPANTS) {
        throw new UserError('TOO_MANY_PARTICIPANTS', `每项活动最多 ${MAX_PARTICIPANTS} 人：已选 ${present.size} 人，这次要加的 ${fresh.length} 人会超过上限。请分开举办，或少选一些。`);
      }
      if (fresh.length) await ActivityParticipant.bulkCreate(fresh.map((personId) => ({ activityId: activity.id, personId })), { transaction: t, ignoreDuplicates: true });
      return { added: fresh.length, total: present.size + fresh.length };
    });
  }
}

/** The invitation a participant gets (R19 活动登记). */
function invitation(activity: Activity, orgName: string): OutgoingMessage {
  const lines = [
    `【活动通知】${orgName}`,
    `${ACTIVITY_KIND_LABELS[activity.kind]}：${activity.title}`,
    `时间：${formatChinaDateTime(activity.startsAt)}`,
    ...(activity.place ? [`地点：${activity.place}`] : []),
    ...(activity.organiser ? [`组织者：${activity.organiser}`] : []),
    '请点击下方按钮报名或告知不参加；到场后发送签到码（或扫描现场二维码）签到。',
  ];
  return {
    text: lines.join('\n'),
    choices: [[{ label: '报名', value: `!${ACTIVITY_ACTION}:r:${activity.id}` }, { label: '不参加', value: `!${ACTIVITY_ACTION}:d:${activity.id}` }]],
  };
}
