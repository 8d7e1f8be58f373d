import type { Transaction } from 'sequelize';
import { OutboxMessage, type ChatBinding } from '../../models';
import type { ServiceDeps } from './deps';
import { ChatBindings } from './chat-bindings';

/** A channel-neutral message: text, optional button rows (label + value), optional file. */
export interface OutgoingMessage {
  text: string;
  choices?: Array<Array<{ label: string; value: string }>>;
  /** A file sent with the text as its caption (e.g. an import's error report). */
  file?: { name: string; mime: string; base64: string };
}

/**
 * Why a delivery did not happen, as the channel tells it: `retry` (rate-limited: try again
 * after `retryAfterMs`, not a failed attempt), `blocked` (the person blocked the bot: final
 * for that chat until they write again), `rejected` (the channel refused the message itself:
 * final) or `failed` (anything else: retried with back-off).
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'retry' | 'blocked' | 'rejected' | 'failed',
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Delivers one message on one channel; throws (ideally a DeliveryError) when it did not. */
export type Deliverer = (chatId: string, message: OutgoingMessage) => Promise<void>;

/** What one delivery run did. */
export interface DeliveryRun {
  sent: number;
  deferred: number;
  blocked: number;
  failed: number;
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

const MAX_ATTEMPTS = 8;
/** How long a claim keeps other senders off a row; a live sender finishes a batch well within it. */
const CLAIM_MS = 60_000;
/** Sends in flight at once, by default: the bound on duplicates after a `kill -9` (README). */
export const DEFAULT_SEND_CONCURRENCY = 4;

type ClaimedRow = { id: number; channel: string; chat_id: string; payload: string; attempts: number };

/**
 * Messages to deliver later. Services enqueue in the transaction of the change that caused
 * them; a sender claims due rows, delivers them at the channel's pace and marks each sent.
 * A message is delivered once: a claim keeps other senders off it, and only a crash between
 * sending and marking (at most `concurrency` messages per sender) can repeat one.
 */
export class Outbox {
  private readonly bindings: ChatBindings;

  constructor(private readonly deps: ServiceDeps) {
    this.bindings = new ChatBindings(deps);
  }

  /** Queues a message to every chat where the person is logged in. `dedupeKey` makes repeats no-ops. */
  async toPerson(personId: number, message: OutgoingMessage, opts: { dedupeKey?: string; t?: Transaction } = {}): Promise<number> {
    const bindings = await this.bindings.bindingsOf(personId, opts.t);
    let queued = 0;
    for (const b of bindings) {
      const key = opts.dedupeKey ? `${opts.dedupeKey}:${b.channel}:${b.chatId}` : null;
      if (await this.enqueue(b.channel, b.chatId, message, { personId, dedupeKey: key, t: opts.t })) queued++;
    }
    return queued;
  }

  /**
   * Queues one message to each of many people (every chat where each is logged in), in a few
   * statements however many there are. `dedupeKey` is a prefix: a person already told under it
   * is skipped, so a repeat tells only the new ones. Returns the people reached (with at least
   * one chat) and the messages queued now.
   */
  async toPeople(
    personIds: number[],
    message: OutgoingMessage | ((personId: number) => OutgoingMessage),
    opts: { dedupeKey: string; t?: Transaction },
  ): Promise<{ reached: number[]; queued: number }> {
    const bindings: ChatBinding[] = [];
    for (let i = 0; i < personIds.length; i += 500) bindings.push(...(await this.bindings.bindingsOfMany(personIds.slice(i, i + 500), opts.t)));
    const now = this.deps.now();
    const rows = bindings.map((b) => ({
      channel: b.channel, chatId: b.chatId, personId: b.personId, dedupeKey: `${opts.dedupeKey}:${b.personId}:${b.channel}:${b.chatId}`,
      payload: JSON.stringify(typeof message === 'function' ? message(b.personId) : message), sentAt: null, lastError: null, availableAt: now,
    }));
    return this.deps.db.transaction(async (t) => {
      const used = new Set<string>();
      for (let i = 0; i < rows.length; i += 500) {
        const keys = rows.slice(i, i + 500).map((r) => r.dedupeKey);
        for (const r of await OutboxMessage.findAll({ where: { dedupeKey: keys }, attributes: ['dedupeKey'], transaction: t })) used.add(r.dedupeKey!);
      }
      const fresh = rows.filter((r) => !used.has(r.dedupeKey));
      for (let i = 0; i < fresh.length; i += 500) await OutboxMessage.bulkCreate(fresh.slice(i, i + 500), { ignoreDuplicates: true, transaction: t });
      return { reached: [...new Set(bindings.map((b) => b.personId))], queued: fresh.length };
    }, opts.t);
  }

  /** Queues a message to one chat; false when the dedupe key was already used. */
  async enqueue(
    channel: string,
    chatId: string,
    message: OutgoingMessage,
    opts: { personId?: number | null; dedupeKey?: string | null; t?: Transaction } = {},
  ): Promise<boolean> {
    const row = { channel, chatId, personId: opts.personId ?? null, payload: JSON.stringify(message), dedupeKey: opts.dedupeKey ?? null, sentAt: null, lastError: null, availableAt: this.deps.now() };
    return this.deps.db.transaction(async (t) => {
      if (row.dedupeKey && (await OutboxMessage.count({ where: { dedupeKey: row.dedupeKey }, transaction: t }))) return false;
      // Ignoring a duplicate key (two processes at once) instead of failing keeps the caller's transaction usable.
      await OutboxMessage.bulkCreate([row], { ignoreDuplicates: true, transaction: t });
      return true;
    }, opts.t);
  }

  /**
   * Claims due messages of the channels that have a deliverer and delivers them: the chats
   * side by side, each chat's messages in order. A rate limit defers the chat's messages
   * (not counted as an attempt), a blocked chat stops receiving until the person writes again.
   */
  async deliverDue(deliverers: Record<string, Deliverer>, opts: DeliverOptions): Promise<DeliveryRun> {
    const run: DeliveryRun = { sent: 0, deferred: 0, blocked: 0, failed: 0, claimed: 0 };
    const channels = Object.keys(deliverers);
    if (!channels.length) return run;
    const rows = await this.claim(opts.owner, channels, opts.limit ?? 50);
    run.claimed = rows.length;
    if (!rows.length) return run;
    const byChat = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const key = `${row.channel}\u0000${row.chat_id}`;
      const list = byChat.get(key);
      if (list) list.push(row);
      else byChat.set(key, [row]);
    }
    const blocked = await this.blockedAmong(rows);
    const chats = [...byChat.values()];
    const workers = Array.from({ length: Math.min(opts.concurrency ?? DEFAULT_SEND_CONCURRENCY, chats.length) }, async () => {
      for (let chat = chats.shift(); chat; chat = chats.shift()) await this.deliverChat(chat, deliverers, opts, run, blocked);
    });
    await Promise.all(workers);
    return run;
  }

  /** One chat's claimed messages, in order; the first that cannot be sent now stops the rest (they keep their order). */
  private async deliverChat(rows: ClaimedRow[], deliverers: Record<string, Deliverer>, opts: DeliverOptions, run: DeliveryRun, blocked: Set<string>): Promise<void> {
    const { logger, metrics } = this.deps;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (opts.signal?.aborted) return this.release(rows.slice(i), opts.owner);
      if (blocked.has(`${row.channel}\u0000${row.chat_id}`)) {
        await this.finish(row, opts.owner, { status: 'blocked', lastError: 'blocked by the person' });
        run.blocked++;
        continue;
      }
      try {
        await deliverers[row.channel](row.chat_id, JSON.parse(row.payload));
      } catch (err) {
        const e = err instanceof DeliveryError ? err : new DeliveryError('failed', String((err as Error)?.message ?? err));
        metrics.outboxDelivered.inc({ channel: row.channel, outcome: e.kind === 'retry' ? 'deferred' : e.kind });
        if (e.kind === 'retry') {
          run.deferred++;
          await this.defer(row, opts.owner, e.retryAfterMs);
          return this.release(rows.slice(i + 1), opts.owner);
        }
        if (e.kind === 'blocked') {
          run.blocked++;
          blocked.add(`${row.channel}\u0000${row.chat_id}`);
          await this.block(row.channel, row.chat_id);
          await this.finish(row, opts.owner, { status: 'blocked', lastError: e.message });
          continue;
        }
        const attempts = row.attempts + 1;
        const final = e.kind === 'rejected' || attempts >= MAX_ATTEMPTS;
        if (final) run.failed++;
        logger.warn({ outboxId: row.id, channel: row.channel, chatId: row.chat_id, attempts, kind: e.kind, err: e.message }, 'outbox delivery failed');
        await this.retryLater(row, opts.owner, attempts, final, e.message);
        if (final) continue;
        return this.release(rows.slice(i + 1), opts.owner);
      }
      await this.finish(row, opts.owner, { status: 'sent', sent: true });
      metrics.outboxDelivered.inc({ channel: row.channel, outcome: 'sent' });
      run.sent++;
    }
  }

  /**
   * Claims up to `limit` due rows in id order. A row behind an earlier one of its chat that
   * waits (deferred, or claimed by another sender) is left, so a chat's messages keep their
   * order. On PostgreSQL, rows another sender is claiming at this moment are skipped.
   */
  private async claim(owner: string, channels: string[], limit: number): Promise<ClaimedRow[]> {
    const { fast, dialect } = this.deps.db;
    const now = this.deps.now();
    const at = fast.timestamp(now);
    const until = fast.timestamp(new Date(now.getTime() + CLAIM_MS));
    const lock = dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    return fast.writeReturning<ClaimedRow>(
      `UPDATE outbox_messages SET claimed_by = ?, claimed_until = ?
       WHERE id IN (
         SELECT o.id FROM outbox_messages o
         WHERE o.status = 'pending' AND o.channel IN (${channels.map(() => '?').join(', ')}) AND o.available_at <= ?
           AND (o.claimed_until IS NULL OR o.claimed_until < ?)
           AND NOT EXISTS (
             SELECT 1 FROM outbox_messages e
             WHERE e.channel = o.channel AND e.chat_id = o.chat_id AND e.status = 'pending' AND e.id < o.id
               AND (e.available_at > ? OR e.claimed_until >= ?))
         ORDER BY o.id LIMIT ? ${lock})
       RETURNING id, channel, chat_id, payload, attempts`,
      [owner, until, ...channels, at, at, at, at, limit],
    ).then((rows) => rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id));
  }

  private async finish(row: ClaimedRow, owner: string, end: { status: 'sent' | 'blocked'; sent?: boolean; lastError?: string }): Promise<void> {
    const { fast } = this.deps.db;
    const at = fast.timestamp(this.deps.now());
    await this.persist(
      `UPDATE outbox_messages SET status = ?, attempts = attempts + 1, sent_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
       WHERE id = ? AND claimed_by = ?`,
      [end.status, end.sent ? at : null, end.lastError ?? null, at, row.id, owner],
    );
  }

  /** Rate-limited: due again after the wait the channel asked for; the attempt does not count. */
  private async defer(row: ClaimedRow, owner: string, waitMs: number): Promise<void> {
    const { fast } = this.deps.db;
    const now = this.deps.now();
    await this.persist(
      `UPDATE outbox_messages SET available_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ? AND claimed_by = ?`,
      [fast.timestamp(new Date(now.getTime() + Math.max(waitMs, 1000))), 'rate limited', fast.timestamp(now), row.id, owner],
    );
  }

  private async retryLater(row: ClaimedRow, owner: string, attempts: number, final: boolean, error: string): Promise<void> {
    const { fast } = this.deps.db;
    const now = this.deps.now();
    const backoffMs = Math.min(2 ** attempts * 1000, 3600_000);
    await this.persist(
      `UPDATE outbox_messages SET status = ?, attempts = ?, available_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
       WHERE id = ? AND claimed_by = ?`,
      [final ? 'failed' : 'pending', attempts, fast.timestamp(new Date(now.getTime() + backoffMs)), error.slice(0, 500), fast.timestamp(now), row.id, owner],
    );
  }

  /** Gives rows back unsent (their order is kept: the next run takes them first). */
  private async release(rows: ClaimedRow[], owner: string): Promise<void> {
    if (!rows.length) return;
    await this.persist(
      `UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND id IN (${rows.map(() => '?').join(', ')})`,
      [owner, ...rows.map((r) => r.id)],
    );
  }

  /** Lets another sender take the rows a dead sender had claimed, now instead of when its claims run out. */
  async releaseClaimsOf(owner: string): Promise<number> {
    return this.deps.db.fast.run('UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND status = ?', [owner, 'pending']);
  }

  /** A write after a message went out: retried, since a lost mark would send the message again. */
  private async persist(sql: string, params: unknown[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.db.fast.run(sql, params);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private async blockedAmong(rows: ClaimedRow[]): Promise<Set<string>> {
    const pairs = [...new Set(rows.map((r) => `${r.channel}\u0000${r.chat_id}`))].map((k) => k.split('\u0000'));
    const found = await this.deps.db.fast.all<{ channel: string; chat_id: string }>(
      `SELECT channel, chat_id FROM blocked_chats WHERE ${pairs.map(() => '(channel = ? AND chat_id = ?)').join(' OR ')}`,
      pairs.flat(),
    );
    return new Set(found.map((r) => `${r.channel}\u0000${r.chat_id}`));
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
    const counts: Record<string, number> = { pending: 0, sent: 0, failed: 0, blocked: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /** Takes the pending messages of one local chat (the web chat polls for them). */
  async takeForChat(channel: string, chatId: string): Promise<OutgoingMessage[]> {
    return this.deps.db.transaction(async (t) => {
      const rows = await OutboxMessage.findAll({ where: { channel, chatId, status: 'pending' }, order: [['id', 'ASC']], transaction: t });
      if (rows.length) {
        await OutboxMessage.update({ status: 'sent', sentAt: this.deps.now() }, { where: { id: rows.map((r) => r.id) }, transaction: t });
      }
      return rows.map((r) => JSON.parse(r.payload) as OutgoingMessage);
    });
  }
}
