import { Op } from 'sequelize';
import { Activity, ActivityParticipant } from '../../../models';
import type { ServiceDeps } from '../deps';
import type { Fees } from '../fees';
import { chinaMonth } from '../fees/months';
import type { Notice } from './notices';
import type { Outbox } from './outbox';
import { signinState } from '../activities/signin';

declare module './notices' {
  interface NoticeKinds {
    /** To a participant: the activity is tomorrow (R21). */
    'activity.eve': { activityId: number };
    /** To a participant not signed in yet: sign-in has opened (R21). */
    'activity.signin_open': { activityId: number };
    /** To a member who owes fees (`month`: the reminder's month, 2026-12). */
    'fee.reminder': { month: string };
    /** To a branch's admins: entry progress and what of 三会两制一课 is due this month. */
    'admin.monthly': { orgId: number; month: string };
  }
}

const DAY = 86_400_000;
const CHINA = 8 * 3_600_000;

/** The Beijing calendar day after the one `at` falls in: [start, end). */
function tomorrowOf(at: Date): { from: Date; to: Date } {
  const c = new Date(at.getTime() + CHINA);
  const start = Date.UTC(c.getUTCFullYear(), c.getUTCMonth(), c.getUTCDate() + 1) - CHINA;
  return { from: new Date(start), to: new Date(start + DAY) };
}

/** What one reminder run queued. */
export interface ReminderRun {
  /** Activities, organisations or months reminded of. */
  subjects: number;
  /** Messages queued now (one per chat of each person told; none for one told before). */
  queued: number;
}

/**
 * Scheduled reminders (R21): who is told what, once. The notices are typed (rendered in the
 * flows layer when delivered) and pushed: they wait out the quiet hours. Each subject is marked
 * in the transaction that queues its notices, and the dedupe keys hold across runs, so a run
 * that fires twice, or again after a crash, tells nobody twice.
 */
export class Reminders {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly outbox: Outbox,
    private readonly fees: Fees,
  ) {}

  /** The day before: participants of activities starting tomorrow (Beijing), except those who said 不参加. */
  async activityEve(now = this.deps.now()): Promise<ReminderRun> {
    const { from, to } = tomorrowOf(now);
    const due = await Activity.findAll({ where: { startsAt: { [Op.gte]: from, [Op.lt]: to }, eveRemindedAt: null }, limit: 500 });
    return this.remind(due, 'eve', (a) => ({ kind: 'activity.eve', activityId: a.id }), now);
  }

  /** Sign-in has opened: participants not signed in yet (and not 不参加), once per activity. */
  async signinOpened(now = this.deps.now()): Promise<ReminderRun> {
    const near = await Activity.findAll({
      where: { startsAt: { [Op.gte]: new Date(now.getTime() - DAY), [Op.lte]: new Date(now.getTime() + DAY) }, signinRemindedAt: null },
      limit: 500,
    });
    const open = near.filter((a) => signinState(a, now).open);
    return this.remind(open, 'signin', (a) => ({ kind: 'activity.signin_open', activityId: a.id }), now, true);
  }

  /** The monthly fee reminder: every member who owes, once a month (what they owe is read when it is delivered). */
  async feesOwed(now = this.deps.now()): Promise<ReminderRun> {
    const month = chinaMonth(now);
    let subjects = 0;
    let queued = 0;
    let batch: number[] = [];
    const send = async () => {
      const { queued: n } = await this.outbox.notify(batch, { kind: 'fee.reminder', month }, { dedupeKey: `fee-reminder:${month}`, push: true });
      queued += n;
      batch = [];
    };
    for await (const owing of this.fees.owing(now)) {
      subjects++;
      batch.push(owing.personId);
      if (batch.length >= 500) await send();
    }
    if (batch.length) await send();
    return { subjects, queued };
  }

  /**
   * The monthly note to each branch's admins: its entry progress and what of 三会两制一课 is due
   * (rendered when delivered, so it is current). Once per branch and month.
   */
  async adminMonthly(now = this.deps.now()): Promise<ReminderRun> {
    const month = chinaMonth(now);
    const rows = await this.deps.db.fast.all<{ org_id: number; person_id: number }>(
      `SELECT a.org_id, a.person_id FROM admins a JOIN organisations o ON o.id = a.org_id WHERE o.kind = 'branch' ORDER BY a.org_id`,
    );
    const byOrg = new Map<number, number[]>();
    for (const r of rows) byOrg.set(Number(r.org_id), [...(byOrg.get(Number(r.org_id)) ?? []), Number(r.person_id)]);
    let queued = 0;
    for (const [orgId, admins] of byOrg) {
      const { queued: n } = await this.outbox.notify(
        admins,
        { kind: 'admin.monthly', orgId, month },
        { dedupeKey: `admin-monthly:${month}:${orgId}`, push: true },
      );
      queued += n;
    }
    return { subjects: byOrg.size, queued };
  }

  private async remind(activities: Activity[], what: 'eve' | 'signin', notice: (a: Activity) => Notice, now: Date, unsignedOnly = false): Promise<ReminderRun> {
    let queued = 0;
    for (const activity of activities) {
      await this.deps.db.transaction(async (t) => {
        const rows = await ActivityParticipant.findAll({
          where: { activityId: activity.id, response: { [Op.ne]: 'declined' }, ...(unsignedOnly ? { signedInAt: null } : {}) },
          attributes: ['personId'],
          transaction: t,
        });
        const { queued: n } = await this.outbox.notify(
          rows.map((r) => r.personId),
          notice(activity),
          { dedupeKey: `activity:${activity.id}:${what}`, t, push: true },
        );
        queued += n;
        await activity.update(what === 'eve' ? { eveRemindedAt: now } : { signinRemindedAt: now }, { transaction: t });
      });
    }
    return { subjects: activities.length, queued };
  }
}
