import { QueryTypes, type Transaction } from 'sequelize';
import { assertOutsideWriteTransaction } from '../../../models/write-scope';
import { OutboxMessage, type ChatBinding } from '../../../models';
import type { OutboxStatus } from '../../../models/OutboxMessage';
import type { ChatBindings } from '../accounts/chat-bindings';
import type { ServiceDeps } from '../deps';
import { isNotice, messageNotice, parseNotice, type Notice, type OutgoingMessage } from './notices';
import type { ClaimedRow, OutboxRows } from './outbox-rows';
import { isQuiet } from './quiet-hours';
import { SentMarks } from './sent-marks';

export type { OutgoingMessage } from './notices';

/**
 * Why a delivery did not happen, as the channel tells it: `retry` (rate-limited: try again
 * after `retryAfterMs`, not a failed attempt), `blocked` (the person blocked the bot: final
 * for that chat until they write again), `rejected` (the channel refused the message itself:
 * final), `dropped` (the notice no longer applies: what it was about is gone; final, nothing
 * sent) or `failed` (anything else: retried with back-off).
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'retry' | 'blocked' | 'rejected' | 'dropped' | 'failed',
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Whom a queued notice is for: the chat, and the person it was queued for (null: a chat only). */
export interface Recipient {
  channel: string;
  chatId: string;
  personId: number | null;
}

/**
 * Delivers one notice on one channel (rendering it there); throws, ideally a DeliveryError,
 * when it did not.
 */
export type Deliverer = (chatId: string, notice: Notice, to: Recipient) => Promise<void>;

/** What one delivery run did. */
export interface DeliveryRun {
  sent: number;
  deferred: number;
  blocked: number;
  failed: number;
  dropped: number;
  /** Rows claimed: a full batch means more may be due. */
  claimed: number;
}

/** Options of {@link Outbox.deliverDue}. */
export interface DeliverOptions {
  /** Who claims the rows (a process's sender). */
  owner: string;
  /** Rows claimed at once. */
  limit?: number;
  /** Chats delivered to side by side: also the most messages a `kill -9` can catch mid-send. */
  concurrency?: number;
  /** Stops taking further messages (the sender lost its lease, or the process stops). */
  signal?: AbortSignal;
}

/** Rows claimed for delivery, and the chats among them that blocked the bot (`channel\0chatId`). */
export interface ClaimedBatch {
  rows: ClaimedRow[];
  blocked: Set<string>;
}

/** Options of {@link Outbox.notify}. */
export interface NotifyOptions {
  /** Prefix of the dedupe key of each message (`<key>:<person>:<channel>:<chat>`); a person already told under it is skipped. */
  dedupeKey: string;
  t?: Transaction;
  /** Pushed (announcements, reminders): held in quiet hours, delivered after direct notices. */
  push?: boolean;
}

/** A notice the local chat took, with the person it was queued for. */
export interface TakenNotice {
  notice: Notice;
  personId: number | null;
}

const MAX_ATTEMPTS = 8;
/** Sends in flight at once, by default: the bound on duplicates after a `kill -9` (README). */
export const DEFAULT_SEND_CONCURRENCY = 4;
/** Rows written per statement when many people are told at once. */
const SLICE = 500;

const chatKey = (r: { channel: string; chat_id: string }) => `${r.channel}\u0000${r.chat_id}`;
const asNotice = (x: Notice | OutgoingMessage): Notice => (isNotice(x) ? x : messageNotice(x));

/**
 * Notices to deliver later. Services queue them in the transaction of the change that caused
 * them; a sender claims due rows, delivers them at the channel's pace and marks each sent.
 * A message is delivered once: a claim keeps other senders off it, and only a crash between
 * sending and marking (at most `concurrency` messages per sender) can repeat one.
 */
export class Outbox {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly bindings: ChatBindings,
    private readonly rows: OutboxRows,
  ) {}

  /**
   * Queues a notice to each of many people, one message to every chat where each is logged
   * in, in a few statements however many there are. A person already told under
   * `dedupeKey` (in that chat) is skipped, so a repeat tells only the new ones. Returns the
   * people reached (with at least one chat) and the messages queued now.
   */
  async notify(personIds: number[], notice: Notice, opts: NotifyOptions): Promise<{ reached: number[]; queued: number }> {
    const bindings: ChatBinding[] = [];
    for (let i = 0; i < personIds.length; i += SLICE) bindings.push(...(await this.bindings.bindingsOfMany(personIds.slice(i, i + SLICE), opts.t)));
    const payload = JSON.stringify(notice);
    const rows = bindings.map((b) =>
      this.row(b.channel, b.chatId, payload, {
        personId: b.personId,
        dedupeKey: `${opts.dedupeKey}:${b.personId}:${b.channel}:${b.chatId}`,
        push: opts.push,
        topic: opts.dedupeKey,
      }),
    );
    return this.deps.db.transaction(async (t) => {
      const used = new Set<string>();
      for (let i = 0; i < rows.length; i += SLICE) {
        const keys = rows.slice(i, i + SLICE).map((r) => r.dedupeKey!);
        for (const r of await OutboxMessage.findAll({ where: { dedupeKey: keys }, attributes: ['dedupeKey'], transaction: t })) used.add(r.dedupeKey!);
      }
      const fresh = rows.filter((r) => !used.has(r.dedupeKey!));
      for (let i = 0; i < fresh.length; i += SLICE) await OutboxMessage.bulkCreate(fresh.slice(i, i + SLICE), { ignoreDuplicates: true, transaction: t });
      return { reached: [...new Set(bindings.map((b) => b.personId))], queued: fresh.length };
    }, opts.t);
  }

  /**
   * Queues a notice to every chat where each of the people `select` names is logged in, in one
   * `INSERT … SELECT` inside the caller's transaction: nothing passes through this process, so
   * a batch costs what the database does for it. `select.sql` is a query of person ids as `id`
   * (its replacements in `select.params`, names not starting with `outbox_`). Dedupe keys as in
   * {@link notify}: a person already told in a chat under `dedupeKey` is skipped there.
   * Returns the people reached (logged in somewhere) and the messages queued now.
   */
  async notifySelected(
    select: { sql: string; params: Record<string, unknown> },
    notice: Notice,
    opts: NotifyOptions & { t: Transaction },
  ): Promise<{ reached: number; queued: number }> {
    const { sequelize } = this.deps.db;
    const now = this.deps.now();
    const from = `FROM (${select.sql}) r JOIN chat_bindings b ON b.person_id = r.id WHERE b.last_seen_at >= :outbox_cutoff`;
    // Timestamps in the form the columns hold (fast.timestamp): a Date in replacements would be
    // written in the process's time zone on SQLite, and compared as text it would be wrong.
    const stamp = (d: Date) => this.deps.db.fast.timestamp(d);
    const replacements = {
      ...select.params,
      outbox_cutoff: stamp(new Date(now.getTime() - this.deps.loginIdleMs)),
      outbox_payload: JSON.stringify(notice),
      outbox_key: opts.dedupeKey,
      outbox_push: !!opts.push,
      outbox_now: stamp(now),
    };
    const [row] = await sequelize.query<{ n: number }>(`SELECT COUNT(DISTINCT b.person_id) AS n ${from}`, {
      replacements,
      type: QueryTypes.SELECT,
      transaction: opts.t,
    });
    // The same columns and dedupe key as row(): `<key>:<person>:<channel>:<chat>`.
    const [, meta] = await sequelize.query(
      `INSERT INTO outbox_messages (channel, chat_id, person_id, payload, dedupe_key, status, attempts, available_at, push, topic, created_at, updated_at)
       SELECT b.channel, b.chat_id, b.person_id, :outbox_payload,
              :outbox_key || ':' || CAST(b.person_id AS TEXT) || ':' || b.channel || ':' || b.chat_id,
              'pending', 0, :outbox_now, :outbox_push, :outbox_key, :outbox_now, :outbox_now
       ${from} ORDER BY b.person_id, b.id
       ON CONFLICT (dedupe_key) DO NOTHING`,
      { replacements, transaction: opts.t },
    );
    const queued =
      typeof meta === 'number' ? meta : Number((meta as { changes?: number; rowCount?: number })?.changes ?? (meta as { rowCount?: number })?.rowCount ?? 0);
    return { reached: Number(row?.n ?? 0), queued };
  }

  /**
   * Queues a notice (or a plain message) to every chat where the person is logged in.
   * `dedupeKey` makes repeats no-ops. Returns the messages queued.
   */
  async toPerson(personId: number, notice: Notice | OutgoingMessage, opts: { dedupeKey?: string; t?: Transaction; push?: boolean } = {}): Promise<number> {
    const bindings = await this.bindings.bindingsOf(personId, opts.t);
    let queued = 0;
    for (const b of bindings) {
      const key = opts.dedupeKey ? `${opts.dedupeKey}:${b.channel}:${b.chatId}` : null;
      if (await this.enqueue(b.channel, b.chatId, notice, { personId, dedupeKey: key, t: opts.t, push: opts.push, topic: opts.dedupeKey })) queued++;
    }
    return queued;
  }

  /** Queues a notice (or a plain message) to one chat; false when the dedupe key was already used. */
  async enqueue(
    channel: string,
    chatId: string,
    notice: Notice | OutgoingMessage,
    opts: { personId?: number | null; dedupeKey?: string | null; t?: Transaction; push?: boolean; topic?: string | null } = {},
  ): Promise<boolean> {
    const row = this.row(channel, chatId, JSON.stringify(asNotice(notice)), opts);
    return this.deps.db.transaction(async (t) => {
      if (row.dedupeKey && (await OutboxMessage.count({ where: { dedupeKey: row.dedupeKey }, transaction: t }))) return false;
      // Ignoring a duplicate key (two processes at once) instead of failing keeps the caller's transaction usable.
      await OutboxMessage.bulkCreate([row], { ignoreDuplicates: true, transaction: t });
      return true;
    }, opts.t);
  }

  private row(
    channel: string,
    chatId: string,
    payload: string,
    opts: { personId?: number | null; dedupeKey?: string | null; push?: boolean; topic?: string | null },
  ) {
    return {
      channel,
      chatId,
      payload,
      personId: opts.personId ?? null,
      dedupeKey: opts.dedupeKey ?? null,
      push: !!opts.push,
      topic: opts.topic ?? null,
      sentAt: null,
      lastError: null,
      availableAt: this.deps.now(),
    };
  }

  /**
   * Claims due messages of the channels that have a deliverer and delivers them: the chats
   * side by side, each chat's messages in order, direct notices before pushed ones (which
   * wait out quiet hours). A rate limit defers the chat's messages (not counted as an
   * attempt), a blocked chat stops receiving until the person writes again.
   */
  async deliverDue(deliverers: Record<string, Deliverer>, opts: DeliverOptions): Promise<DeliveryRun> {
    return this.deliverClaimed(await this.claimDue(deliverers, opts), deliverers, opts);
  }

  /**
   * Claims due messages for the channels that have a deliverer, with the chats among them that
   * blocked the bot: the first half of {@link deliverDue}. A sender may claim its next batch
   * while delivering one (claimed rows wait, unsent, for their owner: nothing is at risk).
   */
  async claimDue(deliverers: Record<string, Deliverer>, opts: DeliverOptions): Promise<ClaimedBatch> {
    const channels = Object.keys(deliverers);
    if (!channels.length) return { rows: [], blocked: new Set() };
    const rows = await this.rows.claim(opts.owner, channels, opts.limit ?? 50, isQuiet(this.deps.quietHours, this.deps.now()));
    return { rows, blocked: rows.length ? await this.rows.blockedAmong(rows) : new Set() };
  }

  /** Gives a claimed batch back unsent (a sender stopping before it delivered it). */
  releaseClaimed(batch: ClaimedBatch, owner: string): Promise<void> {
    return this.rows.release(batch.rows, owner);
  }

  /** Delivers a claimed batch: the second half of {@link deliverDue}. */
  async deliverClaimed(batch: ClaimedBatch, deliverers: Record<string, Deliverer>, opts: DeliverOptions): Promise<DeliveryRun> {
    const run: DeliveryRun = { sent: 0, deferred: 0, blocked: 0, failed: 0, dropped: 0, claimed: batch.rows.length };
    if (!batch.rows.length) return run;
    const byChat = new Map<string, ClaimedRow[]>();
    for (const row of batch.rows) {
      const list = byChat.get(chatKey(row));
      if (list) list.push(row);
      else byChat.set(chatKey(row), [row]);
    }
    const blocked = new Set(batch.blocked);
    const marks = new SentMarks(this.rows, opts.owner);
    const chats = [...byChat.values()];
    const workers = Array.from({ length: Math.min(opts.concurrency ?? DEFAULT_SEND_CONCURRENCY, chats.length) }, async () => {
      for (let chat = chats.shift(); chat; chat = chats.shift()) await this.deliverChat(chat, deliverers, opts, run, blocked, marks);
    });
    await Promise.all(workers);
    return run;
  }

  /** One chat's claimed messages, in order; the first that cannot be sent now stops the rest (they keep their order). */
  private async deliverChat(
    rows: ClaimedRow[],
    deliverers: Record<string, Deliverer>,
    opts: DeliverOptions,
    run: DeliveryRun,
    blocked: Set<string>,
    marks: SentMarks,
  ): Promise<void> {
    const { logger, metrics } = this.deps;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (opts.signal?.aborted) return this.rows.release(rows.slice(i), opts.owner);
      if (blocked.has(chatKey(row))) {
        await this.rows.finish(row, opts.owner, { status: 'blocked', lastError: 'blocked by the person' });
        run.blocked++;
        continue;
      }
      try {
        assertOutsideWriteTransaction('a delivery');
        await deliverers[row.channel](row.chat_id, parseNotice(row.payload), { channel: row.channel, chatId: row.chat_id, personId: row.person_id });
      } catch (err) {
        const e = err instanceof DeliveryError ? err : new DeliveryError('failed', String((err as Error)?.message ?? err));
        metrics.outboxDelivered.inc({ channel: row.channel, outcome: e.kind === 'retry' ? 'deferred' : e.kind });
        if (e.kind === 'retry') {
          run.deferred++;
          await this.rows.defer(row, opts.owner, e.retryAfterMs);
          return this.rows.release(rows.slice(i + 1), opts.owner);
        }
        if (e.kind === 'blocked') {
          run.blocked++;
          blocked.add(chatKey(row));
          await this.block(row.channel, row.chat_id);
          await this.rows.finish(row, opts.owner, { status: 'blocked', lastError: e.message });
          continue;
        }
        if (e.kind === 'dropped') {
          run.dropped++;
          await this.rows.finish(row, opts.owner, { status: 'dropped', lastError: e.message });
          continue;
        }
        const attempts = row.attempts + 1;
        const final = e.kind === 'rejected' || attempts >= MAX_ATTEMPTS;
        if (final) run.failed++;
        logger.warn({ outboxId: row.id, channel: row.channel, chatId: row.chat_id, attempts, kind: e.kind, err: e.message }, 'outbox delivery failed');
        await this.rows.retryLater(row, opts.owner, attempts, final, e.message);
        if (final) continue;
        return this.rows.release(rows.slice(i + 1), opts.owner);
      }
      // Awaited before the next send: delivered-but-unmarked stays within the workers' number.
      await marks.mark(row);
      metrics.outboxDelivered.inc({ channel: row.channel, outcome: 'sent' });
      run.sent++;
    }
  }

  /** Lets another sender take the rows a dead sender had claimed, now instead of when its claims run out. */
  async releaseClaimsOf(owner: string): Promise<number> {
    return this.deps.db.fast.run('UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND status = ?', [owner, 'pending']);
  }

  /** Remembers that the person blocked the bot in this chat. */
  async block(channel: string, chatId: string): Promise<void> {
    await this.deps.db.fast.run('INSERT INTO blocked_chats (channel, chat_id, blocked_at) VALUES (?, ?, ?) ON CONFLICT (channel, chat_id) DO NOTHING', [
      channel,
      chatId,
      this.deps.db.fast.timestamp(this.deps.now()),
    ]);
  }

  /** The person wrote again: messages reach the chat again. */
  async unblock(channel: string, chatId: string): Promise<void> {
    await this.deps.db.fast.run('DELETE FROM blocked_chats WHERE channel = ? AND chat_id = ?', [channel, chatId]);
  }

  /** Messages by status, for the metrics. */
  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.deps.db.fast.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status');
    return countsOf(rows);
  }

  /** Messages of one topic (a broadcast: the dedupe key it was queued under) by status. */
  async countTopic(topic: string): Promise<Record<OutboxStatus, number>> {
    const rows = await this.deps.db.fast.all<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM outbox_messages WHERE topic = ? GROUP BY status',
      [topic],
    );
    return countsOf(rows);
  }

  /**
   * Takes the pending notices of one local chat (the web chat polls for them), to be rendered
   * there; pushed ones wait out quiet hours.
   */
  async takeForChat(channel: string, chatId: string): Promise<TakenNotice[]> {
    const withoutPush = isQuiet(this.deps.quietHours, this.deps.now());
    return this.deps.db.transaction(async (t) => {
      const rows = await OutboxMessage.findAll({
        where: { channel, chatId, status: 'pending', ...(withoutPush ? { push: false } : {}) },
        order: [['id', 'ASC']],
        transaction: t,
      });
      if (rows.length) {
        await OutboxMessage.update({ status: 'sent', sentAt: this.deps.now() }, { where: { id: rows.map((r) => r.id) }, transaction: t });
      }
      return rows.map((r) => ({ notice: parseNotice(r.payload), personId: r.personId }));
    });
  }
}

function countsOf(rows: Array<{ status: string; n: number }>): Record<OutboxStatus, number> {
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, blocked: 0, dropped: 0 };
  for (const r of rows) counts[r.status as OutboxStatus] = Number(r.n);
  return counts;
}
