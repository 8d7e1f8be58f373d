import { EventEmitter } from 'node:events';
import { Op, QueryTypes } from 'sequelize';
import { Announcement, BULK_WRITE_DEADLINE_MS, Organisation } from '../../../models';
import type { Transaction } from 'sequelize';
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
/** People queued per transaction in the background: one batch of the snapshot. */
export const ANNOUNCEMENT_BATCH = 1000;

const NOT_FOUND = '找不到这条通知，或您无权查看（只有发布组织及其上级组织的管理员可以查看）。';
const AUDIENCES: readonly AnnouncementAudience[] = ['all', 'cadres'];

/** The topic (and dedupe key prefix) of an announcement's outbox messages. */
export const announcementTopic = (id: number) => `announcement:${id}`;

/**
 * Announcements (通知推送, R21): an admin writes to its organisation and those below it
 * (optionally only cadres, or only organisations of one kind); nobody outside that subtree
 * receives it. Confirming stores it (audited) and returns at once: its recipients are queued
 * in the background (`enqueueNext`, run by the announcements job), in batches, resuming after
 * a restart, and its messages are pushed: held in quiet hours, sent at the broadcast pace.
 *
 * Snapshot rule: the recipients are the audience at the moment the first background step takes
 * the snapshot (shortly after confirming). Someone who joins or moves into the subtree after
 * that is not told by it; someone who leaves it after that is still told; everyone in the
 * snapshot is queued exactly once, whatever changes meanwhile and however often the work is
 * interrupted (each batch removes what it queued from the snapshot in its own transaction, and
 * the outbox's dedupe keys would refuse a repeat anyway).
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
   * One step of queueing, for the announcement served least recently (round-robin: a small
   * announcement confirmed after a million-person one is queued within a few steps, not after
   * it). The first step of an announcement takes its snapshot; each later one queues the next
   * ANNOUNCEMENT_BATCH people of it, in one transaction with its progress: a crash repeats
   * nothing. Returns the announcement worked on and whether all of it is queued; null when
   * none waits.
   */
  async enqueueNext(): Promise<{ announcementId: number; done: boolean } | null> {
    const next = await Announcement.findOne({
      where: { status: 'enqueuing' },
      order: [
        ['turn', 'ASC'],
        ['id', 'ASC'],
      ],
      attributes: ['id', 'snapshotAt'],
    });
    if (!next) return null;
    if (!next.snapshotAt) return this.deps.db.transaction((t) => this.takeSnapshot(next.id, t), undefined, { deadlineMs: BULK_WRITE_DEADLINE_MS });
    return this.deps.db.transaction((t) => this.queueBatch(next.id, t));
  }

  /** Writes the announcement's recipients as its snapshot (the work of its subtree, once). */
  private async takeSnapshot(id: number, t: Transaction): Promise<{ announcementId: number; done: boolean }> {
    const a = await Announcement.findByPk(id, { transaction: t, lock: this.deps.db.lockFor(t) });
    if (!a || a.status !== 'enqueuing' || a.snapshotAt) return { announcementId: id, done: !a || a.status !== 'enqueuing' };
    const org = await Organisation.findByPk(a.orgId, { transaction: t });
    const recipients = org ? await this.recipients.snapshot(a.id, { path: org.path, audience: a.audience, orgKind: a.orgKind }, t) : 0;
    await a.update({ snapshotAt: this.deps.now(), recipients, turn: await this.nextTurn(t) }, { transaction: t });
    return { announcementId: a.id, done: false };
  }

  /** Queues the next batch of the snapshot (its lowest person ids) and removes it from the snapshot. */
  private async queueBatch(id: number, t: Transaction): Promise<{ announcementId: number; done: boolean }> {
    const a = await Announcement.findByPk(id, { transaction: t, lock: this.deps.db.lockFor(t) });
    if (!a || a.status !== 'enqueuing') return { announcementId: id, done: true };
    const { sequelize } = this.deps.db;
    const ids = await sequelize.query<{ person_id: number }>(
      'SELECT person_id FROM announcement_recipients WHERE announcement_id = :a AND person_id > :cursor ORDER BY person_id LIMIT :n',
      { replacements: { a: a.id, cursor: a.cursor, n: ANNOUNCEMENT_BATCH }, type: QueryTypes.SELECT, transaction: t },
    );
    const last = ids.length ? Number(ids[ids.length - 1].person_id) : a.cursor;
    const range = { a: a.id, cursor: a.cursor, last };
    const { reached, queued } = ids.length
      ? await this.outbox.notifySelected(
          {
            sql: 'SELECT person_id AS id FROM announcement_recipients WHERE announcement_id = :a AND person_id > :cursor AND person_id <= :last',
            params: range,
          },
          { kind: 'announcement', announcementId: a.id },
          { dedupeKey: announcementTopic(a.id), push: true, t },
        )
      : { reached: 0, queued: 0 };
    await sequelize.query('DELETE FROM announcement_recipients WHERE announcement_id = :a AND person_id <= :last', { replacements: range, transaction: t });
    const done = ids.length < ANNOUNCEMENT_BATCH;
    await a.update(
      {
        cursor: last,
        enqueued: a.enqueued + ids.length,
        reached: a.reached + reached,
        messages: a.messages + queued,
        turn: await this.nextTurn(t),
        ...(done ? { status: 'queued' as const, enqueuedAt: this.deps.now() } : {}),
      },
      { transaction: t },
    );
    return { announcementId: a.id, done };
  }

  /** A turn after every announcement being queued: the one just served goes to the back. */
  private async nextTurn(t: Transaction): Promise<number> {
    const [row] = await this.deps.db.sequelize.query<{ n: number | null }>("SELECT MAX(turn) AS n FROM announcements WHERE status = 'enqueuing'", {
      type: QueryTypes.SELECT,
      transaction: t,
    });
    return Number(row?.n ?? 0) + 1;
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
