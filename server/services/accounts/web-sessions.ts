import crypto from 'node:crypto';
import type { ServiceDeps } from '../deps';
import { PERSON_SUMMARY_COLUMNS, type PersonSummary, toPersonSummary } from '../membership/profile-card';

/** How a web session was opened: ID number and password, or Telegram's Mini App initData. */
export type WebSessionVia = 'password' | 'telegram';

/** A live web session and the person it is logged in as (read with every API request). */
export interface WebSession {
  tokenHash: string;
  csrfToken: string;
  via: WebSessionVia;
  /** The Telegram user the session was opened for (via 'telegram'). */
  telegramUserId: string | null;
  person: PersonSummary;
}

/** The channel whose chat bindings a Mini App session stands on. */
export const TELEGRAM_CHANNEL = 'telegram';

/** A session's last use is written again only after this long, as chat logins do. */
const SEEN_RESOLUTION_MS = 3_600_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const random = () => crypto.randomBytes(32).toString('base64url');

/**
 * Logins of the web app (R22), kept apart from chat bindings so no notice is queued for them.
 * They end like chat logins: on logout, after the configured idle time, when the password is
 * changed or reset elsewhere (a fingerprint of it is kept), and, for one opened from Telegram,
 * when that Telegram user's chat login ends. Plain SQL: read on every request.
 */
export class WebSessions {
  constructor(private readonly deps: ServiceDeps) {}

  /** The fingerprint of a password state (R3's initial password has no hash). */
  credentialOf(passwordHash: string | null): string {
    return passwordHash ? sha256(`pw:${passwordHash}`) : 'initial';
  }

  /**
   * Opens a session; returns the token for the cookie (only its hash is kept) and the CSRF token.
   * Opened from Telegram, it is a use of that Telegram user's bot login too.
   */
  async open(
    person: { id: number; passwordHash: string | null },
    via: WebSessionVia,
    telegramUserId: string | null = null,
  ): Promise<{ token: string; csrfToken: string }> {
    const { fast } = this.deps.db;
    const token = random();
    const csrfToken = random();
    const now = this.deps.now();
    // Sessions nobody came back to are cleared here, a few at a time, instead of by a job.
    await fast.run('DELETE FROM web_sessions WHERE last_seen_at < ?', [fast.timestamp(new Date(now.getTime() - this.deps.loginIdleMs))]);
    await fast.run(
      'INSERT INTO web_sessions (token_hash, person_id, csrf_token, via, telegram_user_id, credential, last_seen_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [sha256(token), person.id, csrfToken, via, telegramUserId, this.credentialOf(person.passwordHash), fast.timestamp(now), fast.timestamp(now)],
    );
    if (telegramUserId)
      await fast.run('UPDATE chat_bindings SET last_seen_at = ? WHERE channel = ? AND external_user_id = ?', [
        fast.timestamp(now),
        TELEGRAM_CHANNEL,
        telegramUserId,
      ]);
    return { token, csrfToken };
  }

  /** The live session of a cookie token, or null. */
  read(token: string): Promise<WebSession | null> {
    return this.readHash(sha256(token));
  }

  /** The live session of a token's hash (a download ticket names the session so), or null. */
  async readHash(tokenHash: string): Promise<WebSession | null> {
    const { fast } = this.deps.db;
    const [row] = await fast.all<Record<string, any>>(
      `SELECT ${PERSON_SUMMARY_COLUMNS}, p.password_hash, ws.csrf_token, ws.via, ws.telegram_user_id, ws.credential, ws.last_seen_at AS ws_seen,
         cb.person_id AS bound_person, cb.last_seen_at AS bound_seen
       FROM web_sessions ws JOIN people p ON p.id = ws.person_id LEFT JOIN organisations b ON b.id = p.branch_id
       LEFT JOIN chat_bindings cb ON cb.channel = ? AND cb.external_user_id = ws.telegram_user_id
       WHERE ws.token_hash = ?`,
      [TELEGRAM_CHANNEL, tokenHash],
    );
    if (!row) return null;
    const now = this.deps.now().getTime();
    const seen = new Date(row.ws_seen).getTime();
    const idle = (at: unknown) => now - new Date(at as string).getTime() > this.deps.loginIdleMs;
    const live =
      !idle(row.ws_seen) &&
      (row.via === 'telegram'
        ? row.bound_person != null && Number(row.bound_person) === Number(row.person_id) && !idle(row.bound_seen)
        : row.credential === this.credentialOf(row.password_hash));
    if (!live) {
      // Marked ended rather than deleted: a request racing this session's own password change
      // sees the old fingerprint for a moment, and passwordChanged() then sets the new one. The
      // mark keeps a reset back to R3's initial password from bringing an ended session back.
      if (row.via === 'password' && row.credential !== 'ended')
        await fast.run(`UPDATE web_sessions SET credential = 'ended' WHERE token_hash = ? AND credential = ?`, [tokenHash, row.credential]);
      return null;
    }
    if (now - seen > SEEN_RESOLUTION_MS) await this.touch(tokenHash, row.via === 'telegram' ? row.telegram_user_id : null);
    return { tokenHash, csrfToken: row.csrf_token, via: row.via, telegramUserId: row.telegram_user_id, person: toPersonSummary(row)! };
  }

  /** Ends one session (logout). */
  async end(tokenHash: string): Promise<void> {
    await this.deps.db.fast.run('DELETE FROM web_sessions WHERE token_hash = ?', [tokenHash]);
  }

  /**
   * After a password change in this session: every other web session of the person ends,
   * and this one holds the new fingerprint. Returns how many ended.
   */
  async passwordChanged(personId: number, keepTokenHash: string, passwordHash: string | null): Promise<number> {
    const { fast } = this.deps.db;
    const ended = await fast.run('DELETE FROM web_sessions WHERE person_id = ? AND token_hash <> ?', [personId, keepTokenHash]);
    await fast.run('UPDATE web_sessions SET credential = ? WHERE token_hash = ?', [this.credentialOf(passwordHash), keepTokenHash]);
    return ended;
  }

  /** The account a Telegram user is logged in as in the bot (not idle), or null. */
  async telegramAccount(telegramUserId: string): Promise<number | null> {
    const [row] = await this.deps.db.fast.all<{ person_id: number; last_seen_at: string | Date }>(
      'SELECT person_id, last_seen_at FROM chat_bindings WHERE channel = ? AND external_user_id = ?',
      [TELEGRAM_CHANNEL, telegramUserId],
    );
    if (!row || this.deps.now().getTime() - new Date(row.last_seen_at).getTime() > this.deps.loginIdleMs) return null;
    return Number(row.person_id);
  }

  /** Records a use of the session, and of the Telegram login it stands on (the Mini App is a use of it too). */
  async touch(tokenHash: string, telegramUserId: string | null): Promise<void> {
    const { fast } = this.deps.db;
    const now = fast.timestamp(this.deps.now());
    await fast.run('UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?', [now, tokenHash]);
    if (telegramUserId)
      await fast.run('UPDATE chat_bindings SET last_seen_at = ? WHERE channel = ? AND external_user_id = ?', [now, TELEGRAM_CHANNEL, telegramUserId]);
  }
}
