import { EventEmitter } from 'node:events';
import { Op } from 'sequelize';
import { Announcement, Organisation } from '../../../models';
import type { AnnouncementAudience } from '../../../models/Announcement';
import type { OrgKind } from '../../../models/Organisation';
import type { OutboxStatus } from '../../../models/OutboxMessage';
import { ORG_KINDS } from '../../../models/Organisation';
import { ForbiddenError, UserError } from '../../errors';
import type { Admins } from '../organisations/admins';
import type { AnnouncementRecipients, AudienceSpec } from './announcement-recipients';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import type { Outbox } from './outbox';
import { isQuiet, type QuietHours } from './quiet-hours';

/** What an admin writes: for whom, and the text. */
export interface AnnouncementDraft {
  orgId: number;
  audience: AnnouncementAudience;
  /** Only organisations of this kind (e.g. branches' members); null: every kind. */
  orgKind: OrgKind | null;
  text: string;
}

/** Where an announcement stands, for its admin. */
export interface AnnouncementProgress {
  announcement: Announcement;
  orgName: string;
  /** Its messages (one per chat of each person reached) by status. */
  counts: Record<OutboxStatus, number>;
  /** The quiet hours holding its pending messages now, if any. */
  heldBy: QuietHours | null;
}

/** The longest announcement: it goes out as one message with a heading (Telegram takes 4,096 characters). */
export const MAX_ANNOUNCEMENT_CHARS = 1500;
/** People queued per transaction in the background. */
const PAGE = 500;

const NOT_FOUND = '找不到这条通知，或您无权查看（只有发布组织及其上级组织的管理员可以查看）。';
const AUDIENCES: readonly AnnouncementAudience[] = ['all', 'cadres'];

/** The topic (and dedupe key prefix) of an announcement's outbox messages. */
export const announcementTopic = (id: number) => `announcement:${id}`;

/**
 * Announcements (通知推送, R21): an admin writes to its organisation and those below it
 * (optionally only cadres, or only organisations of one kind); nobody outside that subtree
 * receives it. Confirming stores it (audited) and returns at once: its recipients are queued
 * in the background (`enqueueNext`, run by the announcements job), in pages, resuming after a
 * restart, and its messages are pushed: held in quiet hours, sent at the broadcast pace.
 */
export class Announcements {
  /** `queued`: an announcement waits for its recipients to be queued (a job in this process may start at once). */
  readonly events = new EventEmitter();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
    private readonly outbox: Outbox,
    private readonly recipients: AnnouncementRecipients,
  ) {}

  /** The organisations the person may announce to directly (those it administers); none: not an admin. */
  roots(actorPersonId: number): Promise<Organisation[]> {
    return this.admins.orgsOf(actorPersonId);
  }

  /** Kinds of organisation in the subtree of `orgId` (the actor must manage it). */
  async kindsUnder(actorPersonId: number, orgId: number): Promise<OrgKind[]> {
    const org = await this.requireOrg(actorPersonId, orgId);
    const found = new Set(await this.recipients.kindsUnder(org.path));
    return ORG_KINDS.filter((k) => found.has(k));
  }

  /** Checks a draft and counts its recipients (all, and those logged in somewhere), changing nothing. */
  async preview(actorPersonId: number, draft: AnnouncementDraft): Promise<{ org: Organisation; text: string; recipients: number; reachable: number }> {
    const { org, text, spec } = await this.check(actorPersonId, draft);
    const [recipients, reachable] = await Promise.all([this.recipients.count(spec), this.recipients.reachable(spec)]);
    return { org, text, recipients, reachable };
  }

  /** Stores the announcement (audited) and has its recipients queued in the background. */
  async create(actorPersonId: number, draft: AnnouncementDraft): Promise<Announcement> {
    const { org, text, spec } = await this.check(actorPersonId, draft);
    const recipients = await this.recipients.count(spec);
    if (!recipients) throw UserError.invalid('NO_RECIPIENTS', '所选范围内没有人员，通知未发布。请换一个范围。');
    const announcement = await this.deps.db.transaction(async (t) => {
      const row = await Announcement.create(
        { orgId: org.id, authorPersonId: actorPersonId, text, audience: draft.audience, orgKind: draft.orgKind, recipients },
        { transaction: t },
      );
      await recordAudit(
        {
          actorPersonId,
          orgId: org.id,
          action: 'announcement.create',
          targetType: 'announcement',
          targetId: row.id,
          after: { audience: draft.audience, orgKind: draft.orgKind, recipients, text: text.slice(0, 200) },
        },
        t,
      );
      return row;
    });
    setImmediate(() => this.events.emit('queued', announcement.id));
    return announcement;
  }

  /**
   * Queues the next page of recipients of the oldest announcement still being queued, in one
   * transaction with its cursor: a crash repeats nothing (and the dedupe keys would catch it).
   * Returns the announcement worked on and whether all of it is queued; null when none waits.
   */
  async enqueueNext(): Promise<{ announcementId: number; done: boolean } | null> {
    const next = await Announcement.findOne({ where: { status: 'enqueuing' }, order: [['id', 'ASC']], attributes: ['id'] });
    if (!next) return null;
    return this.deps.db.transaction(async (t) => {
      const a = await Announcement.findByPk(next.id, { transaction: t, lock: this.deps.db.lockFor(t) });
      if (!a || a.status !== 'enqueuing') return { announcementId: next.id, done: true };
      const org = await Organisation.findByPk(a.orgId, { transaction: t });
      const ids = org ? await this.recipients.page({ path: org.path, audience: a.audience, orgKind: a.orgKind }, a.cursor, PAGE, t) : [];
      const { reached, queued } = await this.outbox.notify(
        ids,
        { kind: 'announcement', announcementId: a.id },
        { dedupeKey: announcementTopic(a.id), push: true, t },
      );
      const done = ids.length < PAGE;
      await a.update(
        {
          cursor: ids.at(-1) ?? a.cursor,
          enqueued: a.enqueued + ids.length,
          reached: a.reached + reached.length,
          messages: a.messages + queued,
          ...(done ? { status: 'queued' as const, enqueuedAt: this.deps.now() } : {}),
        },
        { transaction: t },
      );
      return { announcementId: a.id, done };
    });
  }

  /** Where one announcement stands (the actor must manage its organisation; a forged id learns nothing). */
  async progress(actorPersonId: number, announcementId: number): Promise<AnnouncementProgress> {
    const a = Number.isSafeInteger(announcementId) && announcementId > 0 ? await Announcement.findByPk(announcementId) : null;
    if (!a || !(await this.admins.canManage(actorPersonId, a.orgId))) throw new ForbiddenError(NOT_FOUND);
    return this.progressOf(a);
  }

  /** The latest announcements of the organisations the actor administers and those below, newest first. */
  async listFor(actorPersonId: number, limit = 10): Promise<AnnouncementProgress[]> {
    const roots = await this.admins.orgsOf(actorPersonId);
    if (!roots.length) return [];
    const orgs = await Organisation.findAll({ where: { [Op.or]: roots.map((r) => ({ path: { [Op.startsWith]: r.path } })) }, attributes: ['id'] });
    const rows = await Announcement.findAll({ where: { orgId: orgs.map((o) => o.id) }, order: [['id', 'DESC']], limit });
    return Promise.all(rows.map((a) => this.progressOf(a)));
  }

  private async progressOf(a: Announcement): Promise<AnnouncementProgress> {
    const [org, counts] = await Promise.all([Organisation.findByPk(a.orgId, { attributes: ['fullName'] }), this.outbox.countTopic(announcementTopic(a.id))]);
    const quiet = this.deps.quietHours ?? null;
    return { announcement: a, orgName: org?.fullName ?? '', counts, heldBy: counts.pending && isQuiet(quiet, this.deps.now()) ? quiet : null };
  }

  private async requireOrg(actorPersonId: number, orgId: number): Promise<Organisation> {
    const org = Number.isSafeInteger(orgId) && orgId > 0 ? await Organisation.findByPk(orgId) : null;
    if (!org || !(await this.admins.canManage(actorPersonId, org.id))) throw new ForbiddenError('您不是该组织或其上级组织的管理员，不能向它发布通知。');
    return org;
  }

  private async check(actorPersonId: number, draft: AnnouncementDraft): Promise<{ org: Organisation; text: string; spec: AudienceSpec }> {
    const org = await this.requireOrg(actorPersonId, draft.orgId);
    if (!AUDIENCES.includes(draft.audience)) throw UserError.invalid('AUDIENCE', '请选择通知对象');
    if (draft.orgKind !== null && !ORG_KINDS.includes(draft.orgKind)) throw UserError.invalid('ORG_KIND', '请选择组织类别');
    return { org, text: checkText(draft.text), spec: { path: org.path, audience: draft.audience, orgKind: draft.orgKind } };
  }
}

/** The text as it will be sent: line breaks kept (at most one blank line in a row), 2 to MAX_ANNOUNCEMENT_CHARS characters. */
export function checkText(raw: string): string {
  const text = raw
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u3000]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const length = Array.from(text).length;
  if (length < 2) throw UserError.invalid('TEXT_TOO_SHORT', '通知内容至少 2 个字，请重新输入');
  if (length > MAX_ANNOUNCEMENT_CHARS)
    throw UserError.invalid('TEXT_TOO_LONG', `通知内容最多 ${MAX_ANNOUNCEMENT_CHARS} 个字（现在 ${length} 个），请精简后重新输入`);
  return text;
}
