import crypto from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import { Activity, Organisation } from '../../models';
import type { ActivityKind } from '../../models/Activity';
import { ForbiddenError, UserError } from '../errors';
import { Admins } from './admins';
import { requireText } from './applicant-input';
import { recordAudit } from './audit';
import { formatChinaDateTime } from './china-datetime';
import type { ServiceDeps } from './deps';

/** The kinds of R18, as people call them. */
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  branch_congress: '支部团员大会',
  committee_meeting: '支部委员会',
  group_meeting: '团小组会',
  other_meeting: '其他会议',
  lesson: '团课',
  league_day: '团日活动',
};

export const isActivityKind = (v: string): v is ActivityKind => v in ACTIVITY_KIND_LABELS;

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

/** One kind's duty in a period, and how many were recorded. */
export interface Duty {
  kind: ActivityKind;
  period: 'month' | 'quarter';
  times: number;
  done: number;
}

const NOT_FOUND = '找不到这项活动，或您无权查看（只有活动所属组织及其上级组织的管理员可以管理）。';
const CHINA = 8 * 3_600_000;

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
  private readonly admins: Admins;

  constructor(private readonly deps: ServiceDeps) {
    this.admins = new Admins(deps);
  }

  /** Records one (R18); the sign-in code and link token are made here. */
  async create(actorPersonId: number, input: NewActivity): Promise<Activity> {
    const checked = this.check(input);
    return this.deps.db.transaction(async (t) => {
      if (!(await this.admins.canManage(actorPersonId, input.orgId, t))) throw new ForbiddenError('您不是该组织或其上级组织的管理员，不能为它记录活动。');
      const activity = await Activity.create(
        { ...checked, orgId: input.orgId, createdByPersonId: actorPersonId, signinCode: await this.freshCode(t), signinToken: crypto.randomBytes(12).toString('base64url') },
        { transaction: t },
      );
      await recordAudit({ actorPersonId, orgId: input.orgId, action: 'activity.create', targetType: 'activity', targetId: activity.id, after: this.auditView(activity) }, t);
      return activity;
    });
  }

  /** Corrects a record; audited with what it was. */
  async update(actorPersonId: number, activityId: number, changes: ActivityChanges): Promise<Activity> {
    return this.deps.db.transaction(async (t) => {
      const activity = await this.requireManaged(actorPersonId, activityId, t);
      const before = this.auditView(activity);
      const next = this.check({ ...activity.get(), ...changes });
      await activity.update(next, { transaction: t });
      await recordAudit({ actorPersonId, orgId: activity.orgId, action: 'activity.update', targetType: 'activity', targetId: activity.id, before, after: this.auditView(activity) }, t);
      return activity;
    });
  }

  /**
   * The activity, if the actor administers its organisation or one above it. Anyone else gets
   * the same answer as for one that does not exist: a forged button learns nothing.
   */
  async requireManaged(actorPersonId: number, activityId: number, t?: Transaction): Promise<Activity> {
    const activity = Number.isSafeInteger(activityId) ? await Activity.findByPk(activityId, { transaction: t }) : null;
    if (!activity || !(await this.admins.canManage(actorPersonId, activity.orgId, t))) throw new ForbiddenError(NOT_FOUND);
    return activity;
  }

  /** Activities of the organisations the actor administers and those below, from `from` on (or the latest), soonest first. */
  async listManaged(actorPersonId: number, opts: { from?: Date; limit?: number } = {}): Promise<Array<{ activity: Activity; orgName: string }>> {
    const roots = await this.admins.orgsOf(actorPersonId);
    if (!roots.length) return [];
    const orgs = await Organisation.findAll({ where: { [Op.or]: roots.map((r) => ({ path: { [Op.startsWith]: r.path } })) }, attributes: ['id', 'fullName'] });
    const names = new Map(orgs.map((o) => [o.id, o.fullName]));
    const rows = await Activity.findAll({
      where: { orgId: [...names.keys()], ...(opts.from ? { endsAt: { [Op.gte]: opts.from } } : {}) },
      order: opts.from ? [['startsAt', 'ASC']] : [['startsAt', 'DESC']],
      limit: opts.limit ?? 10,
    });
    return rows.map((activity) => ({ activity, orgName: names.get(activity.orgId) ?? '' }));
  }

  /**
   * What a branch has recorded this month and this quarter against each kind's duty
   * (三会两制一课), so an admin (and reminders) can see what is still due.
   */
  async duties(orgId: number, now: Date): Promise<Duty[]> {
    const rules = await this.deps.db.sequelize.query<{ kind: ActivityKind; period: 'month' | 'quarter'; times: number }>('SELECT kind, period, times FROM duty_rules ORDER BY period, kind', {
      type: QueryTypes.SELECT,
    });
    const duties: Duty[] = [];
    for (const rule of rules) {
      const { from, to } = periodOf(now, rule.period);
      const done = await Activity.count({ where: { orgId, kind: rule.kind, startsAt: { [Op.gte]: from, [Op.lt]: to } } });
      duties.push({ kind: rule.kind, period: rule.period, times: Number(rule.times), done });
    }
    return duties;
  }

  /** Checks and cleans what was typed (R18). */
  private check(input: ActivityChanges & Pick<NewActivity, 'kind' | 'title' | 'startsAt' | 'endsAt'>) {
    if (!isActivityKind(input.kind)) throw new UserError('ACTIVITY_KIND', '请选择活动类别');
    if (input.endsAt.getTime() <= input.startsAt.getTime()) throw new UserError('ACTIVITY_TIME', '结束时间应晚于开始时间');
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

  /** A 6-digit sign-in code no activity of the coming days has. */
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
      activityKind: ACTIVITY_KIND_LABELS[a.kind], title: a.title, startsAt: formatChinaDateTime(a.startsAt), endsAt: formatChinaDateTime(a.endsAt),
      place: a.place, organiser: a.organiser, notes: a.notes,
    };
  }
}
