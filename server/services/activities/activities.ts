import crypto from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { Activity, ActivityParticipant, DutyRule, Organisation } from '../../../models';
import type { ActivityKind } from '../../../models/Activity';
import { underPath, underPathPattern } from '../../../models/fast-sql';
import { ForbiddenError, UserError } from '../../errors';
import { ACTIVITY_KIND_LABELS, isActivityKind } from './activity-kinds';
import type { Admins } from '../organisations/admins';
import { requireText } from '../applications/applicant-input';
import { recordAudit } from '../audit/audit';
import { formatChinaDateTime } from '../../lib/china-datetime';
import type { ServiceDeps } from '../deps';
import type { ActivityField } from '../messaging/notices';
import type { Outbox } from '../messaging/outbox';

export { ACTIVITY_KIND_LABELS, isActivityKind };

/** What recording a meeting, lesson or league day takes (R18). */
export interface NewActivity {
  orgId: number;
  kind: ActivityKind;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place?: string | null;
  organiser?: string | null;
  notes?: string | null;
}

/** Fields that can be corrected afterwards. */
export type ActivityChanges = Partial<Omit<NewActivity, 'orgId'>>;

/** An activity with the full name of its organisation. */
export interface ActivityOfOrg {
  activity: Activity;
  orgName: string;
}

/** One kind's duty in a period (三会两制一课), and how many were recorded. */
export interface Duty {
  kind: ActivityKind;
  period: 'month' | 'quarter';
  times: number;
  done: number;
}

const NOT_FOUND = '找不到这项活动，或您无权查看（只有活动所属组织及其上级组织的管理员可以管理）。';
const CHINA = 8 * 3_600_000;
/** Changes participants already told are told of. */
const NOTIFIED_FIELDS: readonly ActivityField[] = ['startsAt', 'endsAt', 'place'];

/** The start of the Beijing month or quarter that `at` falls in, and of the next. */
export function periodOf(at: Date, period: 'month' | 'quarter'): { from: Date; to: Date } {
  const c = new Date(at.getTime() + CHINA);
  const y = c.getUTCFullYear();
  const m = period === 'month' ? c.getUTCMonth() : c.getUTCMonth() - (c.getUTCMonth() % 3);
  const months = period === 'month' ? 1 : 3;
  return { from: new Date(Date.UTC(y, m, 1) - CHINA), to: new Date(Date.UTC(y, m + months, 1) - CHINA) };
}

/**
 * Meetings (三会 and other internal meetings), league lessons and league days of an
 * organisation (R18): recorded, listed, viewed and corrected by the admins of that
 * organisation and those above it; every change audited. How often each kind is due per
 * branch (`duty_rules`) is data.
 */
export class Activities {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
    private readonly outbox: Outbox,
  ) {}

  /** Records one (R18); the sign-in code and link token are made here. */
  async create(actorPersonId: number, input: NewActivity): Promise<Activity> {
    const checked = this.check(input);
    return this.deps.db.transaction(async (t) => {
      if (!(await this.admins.canManage(actorPersonId, input.orgId, t))) throw new ForbiddenError('您不是该组织或其上级组织的管理员，不能为它记录活动。');
      const activity = await Activity.create(
        {
          ...checked,
          orgId: input.orgId,
          createdByPersonId: actorPersonId,
          signinCode: await this.freshCode(t),
          signinToken: crypto.randomBytes(12).toString('base64url'),
        },
        { transaction: t },
      );
      await recordAudit(
        { actorPersonId, orgId: input.orgId, action: 'activity.create', targetType: 'activity', targetId: activity.id, after: this.auditView(activity) },
        t,
      );
      return activity;
    });
  }

  /** Corrects a record; audited with what it was. Participants already told hear of a new time or place. */
  async update(actorPersonId: number, activityId: number, changes: ActivityChanges): Promise<Activity> {
    return this.deps.db.transaction(async (t) => {
      const activity = await this.requireManaged(actorPersonId, activityId, t);
      const before = this.auditView(activity);
      const was = { startsAt: activity.startsAt.getTime(), endsAt: activity.endsAt.getTime(), place: activity.place };
      await activity.update(this.check({ ...activity.get(), ...changes }), { transaction: t });
      await recordAudit(
        {
          actorPersonId,
          orgId: activity.orgId,
          action: 'activity.update',
          targetType: 'activity',
          targetId: activity.id,
          before,
          after: this.auditView(activity),
        },
        t,
      );
      const now = { startsAt: activity.startsAt.getTime(), endsAt: activity.endsAt.getTime(), place: activity.place };
      const fields = NOTIFIED_FIELDS.filter((k) => was[k] !== now[k]);
      if (fields.length) {
        const told = await ActivityParticipant.findAll({
          where: { activityId: activity.id, notifiedAt: { [Op.ne]: null } },
          attributes: ['personId'],
          transaction: t,
        });
        await this.outbox.notify(
          told.map((p) => p.personId),
          { kind: 'activity.changed', activityId: activity.id, fields },
          { dedupeKey: `activity:${activity.id}:change:${activity.updatedAt.getTime()}`, t },
        );
      }
      return activity;
    });
  }

  /**
   * The activity, if the actor administers its organisation or one above it. Anyone else gets
   * the same answer as for one that does not exist: a forged button learns nothing.
   */
  async requireManaged(actorPersonId: number, activityId: number, t?: Transaction): Promise<Activity> {
    const activity = Number.isSafeInteger(activityId) && activityId > 0 ? await Activity.findByPk(activityId, { transaction: t }) : null;
    if (!activity || !(await this.admins.canManage(actorPersonId, activity.orgId, t))) throw new ForbiddenError(NOT_FOUND);
    return activity;
  }

  /** {@link requireManaged}, with the full name of the activity's organisation. */
  async viewManaged(actorPersonId: number, activityId: number): Promise<ActivityOfOrg> {
    const activity = await this.requireManaged(actorPersonId, activityId);
    return { activity, orgName: (await Organisation.findByPk(activity.orgId))!.fullName };
  }

  /**
   * Activities of the organisations the actor administers and those below: `upcoming` (not
   * ended at `now`, soonest first) or `past` (latest first).
   */
  async listManaged(actorPersonId: number, opts: { when: 'upcoming' | 'past'; limit?: number }): Promise<ActivityOfOrg[]> {
    const roots = await this.admins.orgsOf(actorPersonId);
    if (!roots.length) return [];
    const { fast, dialect } = this.deps.db;
    const upcoming = opts.when === 'upcoming';
    const rows = await fast.all<{ id: number; full_name: string }>(
      `SELECT a.id, o.full_name FROM activities a JOIN organisations o ON o.id = a.org_id
       WHERE (${roots.map(() => underPath(dialect, 'o.path', '?')).join(' OR ')}) AND a.ends_at ${upcoming ? '>=' : '<'} ?
       ORDER BY a.starts_at ${upcoming ? 'ASC' : 'DESC'}, a.id LIMIT ?`,
      [...roots.map((r) => underPathPattern(dialect, r.path)), fast.timestamp(this.deps.now()), opts.limit ?? 10],
    );
    const activities = new Map((await Activity.findAll({ where: { id: rows.map((r) => Number(r.id)) } })).map((a) => [a.id, a]));
    return rows.map((r) => ({ activity: activities.get(Number(r.id))!, orgName: r.full_name })).filter((r) => r.activity);
  }

  /**
   * What an organisation has recorded in the month and quarter of `at` against each kind's
   * duty (三会两制一课), so an admin (and reminders) can see what is still due.
   */
  async duties(orgId: number, at: Date): Promise<Duty[]> {
    const rules = await DutyRule.findAll({
      order: [
        ['period', 'ASC'],
        ['kind', 'ASC'],
      ],
    });
    const done = new Map<string, number>();
    for (const period of new Set(rules.map((r) => r.period))) {
      const { from, to } = periodOf(at, period);
      const kinds = rules.filter((r) => r.period === period).map((r) => r.kind);
      const counted = await Activity.count({ where: { orgId, kind: kinds, startsAt: { [Op.gte]: from, [Op.lt]: to } }, group: ['kind'] });
      for (const c of counted as unknown as Array<{ kind: string; count: number }>) done.set(`${period}:${c.kind}`, Number(c.count));
    }
    return rules.map((r) => ({ kind: r.kind, period: r.period, times: Number(r.times), done: done.get(`${r.period}:${r.kind}`) ?? 0 }));
  }

  /** Checks and cleans what was typed (R18). */
  private check(input: ActivityChanges & Pick<NewActivity, 'kind' | 'title' | 'startsAt' | 'endsAt'>) {
    if (!isActivityKind(input.kind)) throw UserError.invalid('ACTIVITY_KIND', '请选择活动类别');
    if (input.endsAt.getTime() <= input.startsAt.getTime()) throw UserError.invalid('ACTIVITY_TIME', '结束时间应晚于开始时间');
    const optional = (v: string | null | undefined, label: string, max: number) => (v && v.trim() ? requireText(v, label, 1, max) : null);
    return {
      kind: input.kind,
      title: requireText(input.title, '活动名称', 2, 100),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      place: optional(input.place, '地点', 100),
      organiser: optional(input.organiser, '组织者', 50),
      notes: optional(input.notes, '备注', 500),
    };
  }

  /** A 6-digit sign-in code that no activity ending from two days ago on has. */
  private async freshCode(t: Transaction): Promise<string> {
    const since = new Date(this.deps.now().getTime() - 2 * 86_400_000);
    for (;;) {
      const code = String(crypto.randomInt(100000, 1000000));
      if (!(await Activity.findOne({ where: { signinCode: code, endsAt: { [Op.gte]: since } }, transaction: t }))) return code;
    }
  }

  /** What the audit log keeps of a record, as people read it. */
  private auditView(a: Activity) {
    return {
      activityKind: ACTIVITY_KIND_LABELS[a.kind],
      activityTitle: a.title,
      startsAt: formatChinaDateTime(a.startsAt),
      endsAt: formatChinaDateTime(a.endsAt),
      place: a.place,
      organiser: a.organiser,
      notes: a.notes,
    };
  }
}
