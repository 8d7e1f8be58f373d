import { Op } from 'sequelize';
import { Activity, ActivityParticipant, Organisation } from '../../../models';
import type { SigninMode } from '../../../models/Activity';
import { UserError } from '../../errors';
import type { Activities } from './activities';
import { type ActivityParticipants, MAX_PARTICIPANTS } from './activity-participants';
import { recordAudit } from '../audit/audit';
import { formatChinaClock, formatChinaDateTime } from '../../lib/china-datetime';
import { modelFromRow } from '../../../models/fast-sql';
import type { ServiceDeps } from '../deps';
import type { LimitRule, RateLimits } from '../platform/rate-limits';

const MINUTE = 60_000;

/** Where sign-in stands: open, not open yet, or over. */
export type SigninState = { open: true; closesAt: Date | null } | { open: false; reason: 'early'; opensAt: Date } | { open: false; reason: 'over' };

/** How a sign-in went (活动签到, R19). */
export type SigninOutcome =
  | { kind: 'signed'; activity: Activity; at: Date; walkIn: boolean }
  | { kind: 'already'; activity: Activity; at: Date }
  | { kind: 'early'; activity: Activity; opensAt: Date }
  | { kind: 'over'; activity: Activity }
  | { kind: 'not-participant'; activity: Activity }
  /** A walk-in, but the activity has MAX_PARTICIPANTS already. */
  | { kind: 'full'; activity: Activity };

/** What a typed code or an opened link came to: a sign-in, or no activity, or too many wrong codes. */
export type SigninAttempt = SigninOutcome | { kind: 'unknown' } | { kind: 'limited'; waitMs: number };

/**
 * Wrong codes from one chat user: 10 pass (people mistype), then each waits a doubling delay up
 * to 5 minutes, and no more than 60 an hour: guessing one of a million codes stays hopeless.
 */
export const SIGNIN_CODE_RULE: LimitRule = { freeAttempts: 10, baseDelayMs: 5000, maxDelayMs: 300_000, windowMs: 3_600_000, maxPerWindow: 60 };

/** The deep-link payload (`/start signin_<token>`) that signs one in to an activity. */
export const SIGNIN_PAYLOAD = 'signin_';

/** Counts for the organiser's live message. */
export interface SigninCounts {
  signedIn: number;
  participants: number;
  registered: number;
}

/** How sign-in is run, as the organiser reads it. */
export const SIGNIN_MODE_LABELS: Record<SigninMode, string> = { auto: '按签到时间自动开启和结束', open: '手动开启', closed: '手动结束' };

/** What the audit log keeps of the sign-in settings. */
function signinAudit(a: Activity) {
  return {
    signinMode: SIGNIN_MODE_LABELS[a.signinMode as SigninMode],
    signinBeforeMin: a.signinBeforeMin,
    signinAfterMin: a.signinAfterMin,
    allowWalkIns: a.allowWalkIns,
  };
}

/** The 6-digit code in what a person typed (`123456`, `签到 123456`, full-width digits), or null. */
export function signinCodeOf(text: string): string | null {
  const m = /^(?:签到\s*[:：]?\s*)?([0-9\uFF10-\uFF19]{6})$/.exec(text.trim());
  return m ? m[1].replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : null;
}

/** The window of an activity: from `before` minutes before the start to `after` minutes after. */
export function signinWindow(a: Pick<Activity, 'startsAt' | 'signinBeforeMin' | 'signinAfterMin'>): { opensAt: Date; closesAt: Date } {
  return { opensAt: new Date(a.startsAt.getTime() - a.signinBeforeMin * MINUTE), closesAt: new Date(a.startsAt.getTime() + a.signinAfterMin * MINUTE) };
}

/** Where sign-in stands at `now`: the window, unless the organiser opened or closed it by hand. */
export function signinState(a: Pick<Activity, 'startsAt' | 'signinBeforeMin' | 'signinAfterMin' | 'signinMode'>, now: Date): SigninState {
  if (a.signinMode === 'open') return { open: true, closesAt: null };
  if (a.signinMode === 'closed') return { open: false, reason: 'over' };
  const { opensAt, closesAt } = signinWindow(a);
  if (now.getTime() < opensAt.getTime()) return { open: false, reason: 'early', opensAt };
  if (now.getTime() > closesAt.getTime()) return { open: false, reason: 'over' };
  return { open: true, closesAt };
}

/**
 * Sign-in is over at `now` (R19): its window has closed (the closing instant itself still
 * counts as open), or the organiser closed it. From then on, who did not sign in is absent.
 */
export function isSigninOver(a: Pick<Activity, 'startsAt' | 'signinBeforeMin' | 'signinAfterMin' | 'signinMode'>, now: Date): boolean {
  const state = signinState(a, now);
  return !state.open && state.reason === 'over';
}

/**
 * Activity sign-in (活动签到, R19): open in a window around the start (changeable, or opened
 * and closed by hand), by the short code, the deep link's token or the QR code of that link;
 * once per person. A walk-in from the activity's organisation may sign in when the organiser
 * allows it. Each sign-in marks the counts changed; a job edits the organiser's message.
 */
export class Signin {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly activities: Activities,
    private readonly participants: ActivityParticipants,
    private readonly limits: RateLimits,
  ) {}

  /**
   * Signs a person in by what they sent: a code (`123456`, `签到 123456`) or a deep-link
   * payload (`signin_<token>`). Only wrong ones count against `source` (the chat user); one
   * held back is refused before what it sent is looked at.
   */
  async attempt(personId: number, source: string, input: string): Promise<SigninAttempt> {
    const key = `signin:${source}`;
    const refused = await this.limits.blocked(key, SIGNIN_CODE_RULE);
    if (refused) return { kind: 'limited', waitMs: refused.waitMs };
    const text = input.trim();
    const activity = text.startsWith(SIGNIN_PAYLOAD) ? await this.byToken(text.slice(SIGNIN_PAYLOAD.length)) : await this.byCode(text);
    if (!activity) {
      const limited = await this.limits.claim(key, SIGNIN_CODE_RULE);
      return limited ? { kind: 'limited', waitMs: limited.waitMs } : { kind: 'unknown' };
    }
    return this.signIn(personId, activity);
  }

  /**
   * The activity a typed code names (the one closest in time, among those of the coming and
   * last days). Read with plain SQL, as the token below: a room signing in at once is the
   * busiest moment this path has.
   */
  async byCode(code: string): Promise<Activity | null> {
    const now = this.deps.now().getTime();
    code = signinCodeOf(code) ?? '';
    if (!code) return null;
    const { fast } = this.deps.db;
    const near = await fast.all(`SELECT * FROM activities WHERE signin_code = ? AND starts_at >= ? AND starts_at <= ? LIMIT 5`, [
      code,
      fast.timestamp(new Date(now - 7 * 86_400_000)),
      fast.timestamp(new Date(now + 7 * 86_400_000)),
    ]);
    return near.map((r) => modelFromRow(Activity, r)).sort((a, b) => Math.abs(a.startsAt.getTime() - now) - Math.abs(b.startsAt.getTime() - now))[0] ?? null;
  }

  async byToken(token: string): Promise<Activity | null> {
    if (!/^[A-Za-z0-9_-]{8,32}$/.test(token)) return null;
    const [row] = await this.deps.db.fast.all('SELECT * FROM activities WHERE signin_token = ?', [token]);
    return row ? modelFromRow(Activity, row) : null;
  }

  /** Signs a person in, once: the first sign-in is kept, a second is told when it was. */
  async signIn(personId: number, activity: Activity): Promise<SigninOutcome> {
    const now = this.deps.now();
    const state = signinState(activity, now);
    if (!state.open) return state.reason === 'early' ? { kind: 'early', activity, opensAt: state.opensAt } : { kind: 'over', activity };
    const { fast } = this.deps.db;
    // One statement: of two sign-ins at once only one sets the time.
    const changed = await fast.run('UPDATE activity_participants SET signed_in_at = ? WHERE activity_id = ? AND person_id = ? AND signed_in_at IS NULL', [
      fast.timestamp(now),
      activity.id,
      personId,
    ]);
    if (changed) {
      await this.countsChanged(activity.id, now);
      return { kind: 'signed', activity, at: now, walkIn: false };
    }
    const row = await ActivityParticipant.findOne({ where: { activityId: activity.id, personId } });
    if (row?.signedInAt) return { kind: 'already', activity, at: row.signedInAt };
    if (!activity.allowWalkIns || !(await this.inOrganisation(personId, activity))) return { kind: 'not-participant', activity };
    const walkIn = await this.deps.db.transaction(async (t) => {
      // The activity locked, as a pick locks it: the limit of R18 holds for walk-ins too.
      await Activity.findByPk(activity.id, { transaction: t, lock: this.deps.db.lockFor(t) });
      const earlier = await ActivityParticipant.findOne({ where: { activityId: activity.id, personId }, transaction: t });
      if (earlier) return earlier;
      if ((await ActivityParticipant.count({ where: { activityId: activity.id }, transaction: t })) >= MAX_PARTICIPANTS) return 'full' as const;
      await ActivityParticipant.create(
        { activityId: activity.id, personId, response: 'registered', respondedAt: now, signedInAt: now, walkIn: true },
        { transaction: t },
      );
      return 'added' as const;
    });
    if (walkIn === 'full') return { kind: 'full', activity };
    if (walkIn !== 'added') return walkIn.signedInAt ? { kind: 'already', activity, at: walkIn.signedInAt } : this.signIn(personId, activity);
    await this.countsChanged(activity.id, now);
    return { kind: 'signed', activity, at: now, walkIn: true };
  }

  /** Opens or closes sign-in by hand, or gives it back to its window; audited. */
  async setMode(actorPersonId: number, activityId: number, mode: Activity['signinMode']): Promise<Activity> {
    return this.change(actorPersonId, activityId, 'activity.signin', { signinMode: mode });
  }

  /** Changes the window (minutes before the start, and after it). */
  async setWindow(actorPersonId: number, activityId: number, beforeMin: number, afterMin: number): Promise<Activity> {
    if (![beforeMin, afterMin].every((m) => Number.isInteger(m) && m >= 0 && m <= 24 * 60))
      throw UserError.invalid('SIGNIN_WINDOW', '签到时间应为 0 到 1440 分钟之间的整数');
    return this.change(actorPersonId, activityId, 'activity.signin', { signinBeforeMin: beforeMin, signinAfterMin: afterMin });
  }

  async setWalkIns(actorPersonId: number, activityId: number, allow: boolean): Promise<Activity> {
    return this.change(actorPersonId, activityId, 'activity.signin', { allowWalkIns: allow });
  }

  /** Shows the live counts in this chat from now on (the signin-counters job sends and edits the message). */
  async watch(actorPersonId: number, activityId: number, channel: string, chatId: string): Promise<void> {
    const activity = await this.activities.requireManaged(actorPersonId, activityId);
    await this.deps.db.transaction((t) =>
      activity.update(
        { counterChannel: channel, counterChatId: chatId, counterMessageId: null, countsChangedAt: this.deps.now(), countsShownAt: null },
        { transaction: t },
      ),
    );
  }

  async counts(activityId: number): Promise<SigninCounts> {
    const [row] = await this.deps.db.fast.all<{ n: number; s: number; r: number | null }>(
      `SELECT COUNT(*) AS n, COUNT(signed_in_at) AS s, SUM(CASE WHEN response = 'registered' THEN 1 ELSE 0 END) AS r FROM activity_participants WHERE activity_id = ?`,
      [activityId],
    );
    return { participants: Number(row.n), signedIn: Number(row.s), registered: Number(row.r ?? 0) };
  }

  /** The organiser's live message: `已签到 37 / 45`. */
  async countsText(activity: Activity): Promise<string> {
    const c = await this.counts(activity.id);
    const state = signinState(activity, this.deps.now());
    const status = state.open
      ? `签到进行中${state.closesAt ? `，${formatChinaClock(state.closesAt)} 结束` : ''}；签到码 ${activity.signinCode}`
      : state.reason === 'early'
        ? `签到 ${formatChinaDateTime(state.opensAt)} 开始`
        : '签到已结束';
    return `【签到】${activity.title}\n已签到 ${c.signedIn} / ${c.participants}（报名 ${c.registered} 人）\n${status}`;
  }

  /**
   * Activities whose live counts message is behind: the counts changed since it was shown, or
   * sign-in opened or closed by its window since then. Only those of the last day.
   */
  async countersDue(): Promise<Activity[]> {
    const now = this.deps.now();
    const watched = await Activity.findAll({
      where: { counterChatId: { [Op.ne]: null }, endsAt: { [Op.gte]: new Date(now.getTime() - 86_400_000) } },
      limit: 200,
    });
    return watched.filter((a) => {
      const shown = a.countsShownAt?.getTime() ?? -Infinity;
      if ((a.countsChangedAt?.getTime() ?? -Infinity) > shown) return true;
      const { opensAt, closesAt } = signinWindow(a);
      return a.signinMode === 'auto' && [opensAt, closesAt].some((at) => at.getTime() > shown && at.getTime() <= now.getTime());
    });
  }

  /** Records that the counts as of `asOf` are shown in message `messageId`. */
  async counterShown(activityId: number, messageId: string | null, asOf: Date): Promise<void> {
    await this.deps.db.transaction((t) => Activity.update({ counterMessageId: messageId, countsShownAt: asOf }, { where: { id: activityId }, transaction: t }));
  }

  /** The live counts of the activities watched in a chat whose sign-in is not long over (for a channel that polls, the local chat). */
  async countersIn(channel: string, chatId: string): Promise<string[]> {
    const now = this.deps.now();
    const watched = await Activity.findAll({
      where: { counterChannel: channel, counterChatId: chatId, endsAt: { [Op.gte]: new Date(now.getTime() - 3_600_000) } },
      limit: 5,
    });
    return Promise.all(watched.map((a) => this.countsText(a)));
  }

  private async countsChanged(activityId: number, now: Date): Promise<void> {
    const { fast } = this.deps.db;
    await fast.run('UPDATE activities SET counts_changed_at = ? WHERE id = ?', [fast.timestamp(now), activityId]);
  }

  /** A person of the activity's organisation or one below it (a walk-in may be one). */
  private async inOrganisation(personId: number, activity: Activity): Promise<boolean> {
    const org = await Organisation.findByPk(activity.orgId);
    return !!org && (await this.participants.idsUnder(org, [personId])).length > 0;
  }

  private async change(
    actorPersonId: number,
    activityId: number,
    action: string,
    changes: Partial<Pick<Activity, 'signinMode' | 'signinBeforeMin' | 'signinAfterMin' | 'allowWalkIns'>>,
  ): Promise<Activity> {
    return this.deps.db.transaction(async (t) => {
      const activity = await this.activities.requireManaged(actorPersonId, activityId, t);
      const before = signinAudit(activity);
      await activity.update({ ...changes, countsChangedAt: this.deps.now() }, { transaction: t });
      await recordAudit(
        { actorPersonId, orgId: activity.orgId, action, targetType: 'activity', targetId: activity.id, before, after: signinAudit(activity) },
        t,
      );
      return activity;
    });
  }
}
