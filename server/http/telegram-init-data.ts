import crypto from 'node:crypto';

/** The Telegram user a Mini App was opened by, as `initData`'s `user` field gives it. */
export interface InitDataUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** Why initData was refused; never shown in detail to the client. */
export type InitDataRefusal = 'malformed' | 'bad-hash' | 'stale' | 'no-user';

export type InitDataCheck = { ok: true; user: InitDataUser; authDate: Date } | { ok: false; reason: InitDataRefusal };

/** The string Telegram signs: every field but `hash`, as `key=value`, sorted by key, joined by "\n". */
export function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([k]) => k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** hex(HMAC_SHA256(key = HMAC_SHA256(key = "WebAppData", msg = botToken), msg = dataCheckString)). */
export function initDataHash(dataCheck: string, botToken: string): string {
  const secret = crypto.createHmac('sha256', 'WebAppData').update(botToken).digest();
  return crypto.createHmac('sha256', secret).update(dataCheck).digest('hex');
}

/**
 * Checks a Mini App's `initData` (Telegram.WebApp.initData, a query string) as Telegram's
 * "Validating data received via the Mini App" says: the hash over the data-check string with
 * the key derived from this bot's token, compared in constant time; then `auth_date` no older
 * than `maxAgeMs` (nor more than a minute ahead: clocks differ a little, never more).
 * @example verifyInitData(body.initData, config.botToken, { maxAgeMs: 86_400_000, now: new Date() })
 */
export function verifyInitData(initData: string, botToken: string, opts: { maxAgeMs: number; now: Date }): InitDataCheck {
  if (typeof initData !== 'string' || initData.length > 8192) return { ok: false, reason: 'malformed' };
  const params = new URLSearchParams(initData);
  const given = params.getAll('hash');
  if (given.length !== 1 || !/^[0-9a-f]{64}$/.test(given[0])) return { ok: false, reason: 'malformed' };
  // A field given twice would be signed as Telegram never signs it: refused outright.
  const keys = [...params.keys()];
  if (new Set(keys).size !== keys.length) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(initDataHash(dataCheckString(params), botToken), 'hex');
  if (!crypto.timingSafeEqual(expected, Buffer.from(given[0], 'hex'))) return { ok: false, reason: 'bad-hash' };
  const authSeconds = Number(params.get('auth_date'));
  if (!Number.isSafeInteger(authSeconds) || authSeconds <= 0) return { ok: false, reason: 'malformed' };
  const age = opts.now.getTime() - authSeconds * 1000;
  if (age > opts.maxAgeMs || age < -60_000) return { ok: false, reason: 'stale' };
  let user: InitDataUser | undefined;
  try {
    user = JSON.parse(params.get('user') ?? 'null') as InitDataUser | undefined;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!user || !Number.isSafeInteger(user.id) || user.id <= 0) return { ok: false, reason: 'no-user' };
  return { ok: true, user, authDate: new Date(authSeconds * 1000) };
}
