import type { ServiceDeps } from '../deps';

/** A row claimed for delivery. */
export interface ClaimedRow {
  id: number;
  channel: string;
  chat_id: string;
  person_id: number | null;
  payload: string;
  attempts: number;
  push: boolean;
}

/** How long a claim keeps other senders off a row; a live sender finishes a batch well within it. */
const CLAIM_MS = 60_000;

/**
 * The outbox's row writes on the delivery path, in plain SQL (one statement each, never inside
 * a transaction). Every write after a send names the claim's owner, so a sender whose claim
 * was taken over cannot mark another's row.
 */
export class OutboxRows {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Claims up to `limit` due rows, direct notices before pushed ones, each in id order. A row
   * behind an earlier one of its chat and kind (direct or pushed) that waits — deferred, or
   * claimed by another sender — is left, so a chat's messages keep their order. With
   * `withoutPush` (quiet hours) pushed rows stay where they are.
   *
   * In three plain statements rather than one with a per-row anti-join: on PostgreSQL a
   * broadcast's rows arrive faster than statistics follow, and the planner then joins every
   * pending row with every other (20,000² for a broadcast). The rows that wait are few (a
   * batch in flight, a few deferred), so they are read first and skipped in order.
   */
  async claim(owner: string, channels: string[], limit: number, withoutPush: boolean): Promise<ClaimedRow[]> {
    if (limit <= 0) return [];
    const { fast, dialect } = this.deps.db;
    const now = this.deps.now();
    const at = fast.timestamp(now);
    const bool = (v: boolean) => (dialect === 'postgres' ? v : v ? 1 : 0);
    const lane = (r: { channel: string; chat_id: string; push: unknown }) => `${r.channel}\u0000${r.chat_id}\u0000${r.push ? 1 : 0}`;
    const waiting = await fast.all<{ channel: string; chat_id: string; push: unknown; first_id: number }>(
      `SELECT channel, chat_id, push, MIN(id) AS first_id FROM outbox_messages
       WHERE status = 'pending' AND (available_at > ? OR claimed_until >= ?) GROUP BY channel, chat_id, push`,
      [at, at],
    );
    const firstWaiting = new Map(waiting.map((w) => [lane(w), Number(w.first_id)]));
    const picked: number[] = [];
    const page = Math.max(limit * 2, 200);
    let after: { push: boolean; id: number } | null = null;
    // Pages in order until enough may go; a long run of held-back rows is stepped over, never a reason to stop.
    for (let pages = 0; picked.length < limit && pages < 100; pages++) {
      const rows: Array<{ id: number; channel: string; chat_id: string; push: unknown }> = await fast.all(
        `SELECT id, channel, chat_id, push FROM outbox_messages
         WHERE status = 'pending' AND channel IN (${channels.map(() => '?').join(', ')}) AND available_at <= ?
           AND (claimed_until IS NULL OR claimed_until < ?) ${withoutPush ? 'AND NOT push' : ''} ${after ? 'AND (push > ? OR (push = ? AND id > ?))' : ''}
         ORDER BY push, id LIMIT ?`,
        [...channels, at, at, ...(after ? [bool(after.push), bool(after.push), after.id] : []), page],
      );
      for (const r of rows) {
        const first = firstWaiting.get(lane(r));
        if (first === undefined || first > Number(r.id)) picked.push(Number(r.id));
        if (picked.length >= limit) break;
      }
      if (rows.length < page) break;
      const last = rows[rows.length - 1];
      after = { push: !!last.push, id: Number(last.id) };
    }
    if (!picked.length) return [];
    const until = fast.timestamp(new Date(now.getTime() + CLAIM_MS));
    // Each only if still free: another sender may have taken one since it was read.
    const rows = await fast.writeReturning<ClaimedRow>(
      `UPDATE outbox_messages SET claimed_by = ?, claimed_until = ?
       WHERE id IN (${picked.map(() => '?').join(', ')}) AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)
       RETURNING id, channel, chat_id, person_id, payload, attempts, push`,
      [owner, until, ...picked, at],
    );
    return rows
      .map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), person_id: r.person_id === null ? null : Number(r.person_id), push: !!r.push }))
      .sort((a, b) => Number(a.push) - Number(b.push) || a.id - b.id);
  }

  /** The row is done: sent, blocked or dropped. */
  async finish(row: ClaimedRow, owner: string, end: { status: 'sent' | 'blocked' | 'dropped'; lastError?: string }): Promise<void> {
    const { fast } = this.deps.db;
    const at = fast.timestamp(this.deps.now());
    await this.persist(
      `UPDATE outbox_messages SET status = ?, attempts = attempts + 1, sent_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
       WHERE id = ? AND claimed_by = ?`,
      [end.status, end.status === 'sent' ? at : null, end.lastError?.slice(0, 500) ?? null, at, row.id, owner],
    );
  }

  /** Rows delivered: marked sent in one statement (see SentMarks). */
  async finishSent(rows: ClaimedRow[], owner: string): Promise<void> {
    if (!rows.length) return;
    const { fast } = this.deps.db;
    const at = fast.timestamp(this.deps.now());
    await this.persist(
      `UPDATE outbox_messages SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = ?
       WHERE claimed_by = ? AND id IN (${rows.map(() => '?').join(', ')})`,
      [at, at, owner, ...rows.map((r) => r.id)],
    );
  }

  /** Rate-limited: due again after the wait the channel asked for; the attempt does not count. */
  async defer(row: ClaimedRow, owner: string, waitMs: number): Promise<void> {
    const { fast } = this.deps.db;
    const now = this.deps.now();
    await this.persist(
      `UPDATE outbox_messages SET available_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ? AND claimed_by = ?`,
      [fast.timestamp(new Date(now.getTime() + Math.max(waitMs, 1000))), 'rate limited', fast.timestamp(now), row.id, owner],
    );
  }

  /** A failed attempt: tried again after a growing wait, or given up (`final`). */
  async retryLater(row: ClaimedRow, owner: string, attempts: number, final: boolean, error: string): Promise<void> {
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
  async release(rows: ClaimedRow[], owner: string): Promise<void> {
    if (!rows.length) return;
    await this.persist(
      `UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND id IN (${rows.map(() => '?').join(', ')})`,
      [owner, ...rows.map((r) => r.id)],
    );
  }

  /** The chats among the rows' that blocked the bot, as `channel\0chatId`. */
  async blockedAmong(rows: ClaimedRow[]): Promise<Set<string>> {
    const pairs = [...new Set(rows.map((r) => `${r.channel}\u0000${r.chat_id}`))].map((k) => k.split('\u0000'));
    const found: Array<{ channel: string; chat_id: string }> = [];
    // In slices: a broadcast's batch has a chat per row, and a statement takes only so many parameters.
    for (let i = 0; i < pairs.length; i += 200) {
      const slice = pairs.slice(i, i + 200);
      found.push(
        ...(await this.deps.db.fast.all<{ channel: string; chat_id: string }>(
          `SELECT channel, chat_id FROM blocked_chats WHERE ${slice.map(() => '(channel = ? AND chat_id = ?)').join(' OR ')}`,
          slice.flat(),
        )),
      );
    }
    return new Set(found.map((r) => `${r.channel}\u0000${r.chat_id}`));
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
}
