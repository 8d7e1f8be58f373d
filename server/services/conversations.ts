import type { ServiceDeps } from './deps';
import { PERSON_SUMMARY_COLUMNS, PersonSummary, toPersonSummary } from './profile-card';

/** A saved conversation: which flow, its version stamp, and its plain-JSON state. */
export interface SavedConversation {
  flow: string;
  version: number;
  state: unknown;
}

/** Who is talking and where their conversation stands, read in one query per update. */
export interface ChatSession {
  /** The account the chat user is logged in as, as it was when the input arrived. */
  person: PersonSummary | null;
  conversation: SavedConversation | null;
}

/**
 * Conversation state per (channel, chat), kept in the database so a restart loses nothing.
 * Plain SQL: these statements run on every update.
 */
export class Conversations {
  constructor(private readonly deps: ServiceDeps) {}

  /** The chat user's bound account (identity from the user id) and the chat's conversation. */
  async session(channel: string, chatId: string, userId: string): Promise<ChatSession> {
    const [row] = await this.deps.db.fast.all<Record<string, any>>(
      `SELECT ${PERSON_SUMMARY_COLUMNS}, c.flow, c.version, c.state
       FROM (SELECT 1 AS one) x
       LEFT JOIN chat_bindings cb ON cb.channel = ? AND cb.external_user_id = ?
       LEFT JOIN people p ON p.id = cb.person_id
       LEFT JOIN organisations b ON b.id = p.branch_id
       LEFT JOIN conversations c ON c.channel = ? AND c.chat_id = ?`,
      [channel, userId, channel, chatId],
    );
    return {
      person: toPersonSummary(row),
      conversation: row?.flow ? { flow: row.flow, version: Number(row.version), state: JSON.parse(row.state) } : null,
    };
  }

  async load(channel: string, chatId: string): Promise<SavedConversation | null> {
    const [row] = await this.deps.db.fast.all<{ flow: string; version: number; state: string }>(
      'SELECT flow, version, state FROM conversations WHERE channel = ? AND chat_id = ?',
      [channel, chatId],
    );
    return row ? { flow: row.flow, version: Number(row.version), state: JSON.parse(row.state) } : null;
  }

  async save(channel: string, chatId: string, saved: SavedConversation): Promise<void> {
    const { fast } = this.deps.db;
    const now = fast.timestamp(this.deps.now());
    await fast.run(
      `INSERT INTO conversations (channel, chat_id, flow, version, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, chat_id) DO UPDATE SET flow = excluded.flow, version = excluded.version, state = excluded.state, updated_at = excluded.updated_at`,
      [channel, chatId, saved.flow, saved.version, JSON.stringify(saved.state), now, now],
    );
  }

  async clear(channel: string, chatId: string): Promise<void> {
    await this.deps.db.fast.run('DELETE FROM conversations WHERE channel = ? AND chat_id = ?', [channel, chatId]);
  }
}
