import type { ServiceDeps } from '../deps';
import { PERSON_SUMMARY_COLUMNS, PersonSummary, toPersonSummary } from '../membership/profile-card';

/** A saved conversation: which flow, its version stamp, and its plain-JSON state. */
export interface SavedConversation {
  flow: string;
  version: number;
  state: unknown;
  /** The last question's buttons, label → value: a label typed is taken as the press. */
  buttons?: Record<string, string>;
}

const savedOf = (row: { flow: string; version: number | string; state: string; buttons?: string | null }): SavedConversation => ({
  flow: row.flow,
  version: Number(row.version),
  state: JSON.parse(row.state),
  ...(row.buttons ? { buttons: JSON.parse(row.buttons) } : {}),
});

/** Who is talking and where their conversation stands, read in one query per update. */
export interface ChatSession {
  /** The account the chat user is logged in as, as it was when the input arrived. */
  person: PersonSummary | null;
  conversation: SavedConversation | null;
  /** The chat user was logged in, but the login ended for want of use (person is then null). */
  loginExpired: boolean;
  /** This update was handled already (a redelivery): it must not be handled again. */
  handled: boolean;
  /** The person had blocked the bot in this chat; writing again lifts it. */
  chatBlocked: boolean;
}

/** A login's last use is written again only after this long, so most updates write nothing. */
const SEEN_RESOLUTION_MS = 3_600_000;

/**
 * Conversation state per (channel, chat), kept in the database so a restart loses nothing.
 * Plain SQL: these statements run on every update.
 */
export class Conversations {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The chat user's bound account (identity from the user id; none once the login has been
   * idle too long) and the chat's conversation, and whether the update `updateKey` names (by
   * its content: see ProcessedUpdates) was handled already. A read only: the login's last use
   * is refreshed in the background, at most hourly.
   */
  async session(channel: string, chatId: string, userId: string, updateKey?: string): Promise<ChatSession> {
    const { fast } = this.deps.db;
    const [row] = await fast.all<Record<string, any>>(
      `SELECT ${PERSON_SUMMARY_COLUMNS}, cb.last_seen_at, c.flow, c.version, c.state, c.buttons, c.update_key AS moved_by, pu.id AS done, bc.chat_id AS blocked
       FROM (SELECT 1 AS one) x
       LEFT JOIN chat_bindings cb ON cb.channel = ? AND cb.external_user_id = ?
       LEFT JOIN people p ON p.id = cb.person_id
       LEFT JOIN organisations b ON b.id = p.branch_id
       LEFT JOIN conversations c ON c.channel = ? AND c.chat_id = ?
       LEFT JOIN processed_updates pu ON pu.channel = ? AND pu.update_key = ?
       LEFT JOIN blocked_chats bc ON bc.channel = ? AND bc.chat_id = ?`,
      [channel, userId, channel, chatId, channel, updateKey ?? '', channel, chatId],
    );
    const now = this.deps.now().getTime();
    const seen = row?.last_seen_at ? new Date(row.last_seen_at).getTime() : now;
    const expired = row?.person_id != null && now - seen > this.deps.loginIdleMs;
    if (row?.person_id != null && !expired && now - seen > SEEN_RESOLUTION_MS) {
      fast
        .run('UPDATE chat_bindings SET last_seen_at = ? WHERE channel = ? AND external_user_id = ?', [fast.timestamp(this.deps.now()), channel, userId])
        .catch((err: Error) => this.deps.logger.warn({ err: err.message }, 'could not record the last use of a login'));
    }
    return {
      person: expired ? null : toPersonSummary(row),
      conversation: row?.flow ? savedOf(row as { flow: string; version: number; state: string; buttons: string | null }) : null,
      loginExpired: expired,
      // Only this very update: a later one may have moved the conversation first (another process took it first).
      handled: row?.done != null || (updateKey !== undefined && row?.moved_by === updateKey),
      chatBlocked: row?.blocked != null,
    };
  }

  async load(channel: string, chatId: string): Promise<SavedConversation | null> {
    const [row] = await this.deps.db.fast.all<{ flow: string; version: number; state: string; buttons: string | null }>(
      'SELECT flow, version, state, buttons FROM conversations WHERE channel = ? AND chat_id = ?',
      [channel, chatId],
    );
    return row ? savedOf(row) : null;
  }

  /** Saves where the conversation stands, with the key of the update that moved it there (when there is one). */
  async save(channel: string, chatId: string, saved: SavedConversation, updateKey?: string): Promise<void> {
    const { fast } = this.deps.db;
    const now = fast.timestamp(this.deps.now());
    await fast.run(
      `INSERT INTO conversations (channel, chat_id, flow, version, state, buttons, update_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, chat_id) DO UPDATE SET flow = excluded.flow, version = excluded.version, state = excluded.state,
         buttons = excluded.buttons, update_key = excluded.update_key, updated_at = excluded.updated_at`,
      [
        channel,
        chatId,
        saved.flow,
        saved.version,
        JSON.stringify(saved.state),
        saved.buttons ? JSON.stringify(saved.buttons) : null,
        updateKey ?? null,
        now,
        now,
      ],
    );
  }

  async clear(channel: string, chatId: string): Promise<void> {
    await this.deps.db.fast.run('DELETE FROM conversations WHERE channel = ? AND chat_id = ?', [channel, chatId]);
  }
}
