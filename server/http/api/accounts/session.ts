import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import { UserError } from '../../../errors';
import type { WebSession, WebSessionVia, WebSessions } from '../../../services/accounts/web-sessions';
import { fromOtherSite } from '../../other-site';
import { type DownloadTickets, TICKET_PARAM, withoutTicket } from '../download-tickets';

/** The session cookie (a random token; the server keeps its hash) and the device cookie that keys login limits. */
export const SESSION_COOKIE = 'zhtj_app';
export const DEVICE_COOKIE = 'zhtj_device';
/** The header a state-changing request carries the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
const COOKIE_PATH = '/api';
const DEVICE_DAYS = 365;

/**
 * The header every answer given under a session carries: a digest of the session (never its
 * token), so the web app sees when another tab logged out or in as someone else meanwhile.
 */
export const SESSION_TAG_HEADER = 'x-session-tag';
export const sessionTag = (session: WebSession): string => crypto.createHash('sha256').update(`tag:${session.tokenHash}`).digest('base64url').slice(0, 16);

/** What the API's middleware leaves on `ctx.state`. */
export interface ApiState {
  session: WebSession | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const needLogin = () => UserError.unauthenticated('UNAUTHENTICATED', '请先登录：用身份证号码和密码登录，或从 Telegram 机器人中打开本应用。');

/**
 * Cookie options: HttpOnly, signed, Secure over HTTPS (behind a proxy only with TRUST_PROXY),
 * SameSite=Lax. A session opened inside Telegram over HTTPS is SameSite=None and partitioned:
 * Telegram Web shows a Mini App in a frame of another site, where a Lax cookie is never sent
 * (the CSRF header guards its state changes all the same).
 */
function cookieOptions(ctx: Context, maxAge: number, via?: WebSessionVia) {
  const embedded = via === 'telegram' && ctx.secure;
  return {
    signed: true,
    httpOnly: true,
    secure: ctx.secure,
    sameSite: embedded ? ('none' as const) : ('lax' as const),
    partitioned: embedded,
    path: COOKIE_PATH,
    maxAge,
    overwrite: true,
  };
}

export function setSessionCookie(ctx: Context, token: string, via: WebSessionVia, maxAge: number): void {
  ctx.cookies.set(SESSION_COOKIE, token, cookieOptions(ctx, maxAge, via));
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, null, { ...cookieOptions(ctx, 0), maxAge: undefined, expires: new Date(0) });
}

/**
 * The browser's login source for Accounts.login's limits: a random device id in a long-lived
 * signed cookie (made when there is none), as a chat user is for the bot. A browser that drops
 * it is a new source, so the address has a limit of its own too (see auth-routes.ts).
 */
export function deviceKey(ctx: Context): string {
  let device = ctx.cookies.get(DEVICE_COOKIE, { signed: true });
  if (!device || !/^[A-Za-z0-9_-]{32}$/.test(device)) {
    device = crypto.randomBytes(24).toString('base64url');
    ctx.cookies.set(DEVICE_COOKIE, device, {
      signed: true,
      httpOnly: true,
      secure: ctx.secure,
      sameSite: 'lax',
      path: COOKIE_PATH,
      maxAge: DEVICE_DAYS * 86_400_000,
      overwrite: true,
    });
  }
  return `web:${crypto.createHash('sha256').update(device).digest('base64url').slice(0, 24)}`;
}

/**
 * Reads the session cookie (or a download ticket) into `ctx.state.session` (null when there is none or it has ended).
 * A dead cookie is left alone: clearing it from a request that raced a password change in the
 * same browser would log that browser out.
 */
export function loadSession(sessions: WebSessions, tickets: DownloadTickets) {
  return async (ctx: Context, next: Next) => {
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    let session = token && /^[A-Za-z0-9_-]{43}$/.test(token) ? await sessions.read(token) : null;
    // No cookie but a download ticket (Telegram fetching a file for the Mini App): that one GET only.
    const ticket = ctx.query[TICKET_PARAM];
    if (!session && ctx.method === 'GET' && typeof ticket === 'string') {
      const tokenHash = tickets.check(ticket, withoutTicket(ctx.path, ctx.querystring));
      session = tokenHash ? await sessions.readHash(tokenHash) : null;
    }
    (ctx.state as ApiState).session = session;
    if (session) ctx.set(SESSION_TAG_HEADER, sessionTag(session));
    await next();
  };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Refuses a state-changing request another site's page sent: one from a foreign origin
 * (Origin, Sec-Fetch-Site), and, once there is a session, one without the session's CSRF
 * token in the X-CSRF-Token header (a page of another site cannot read it: no CORS here).
 */
export async function csrfGuard(ctx: Context, next: Next): Promise<void> {
  if (!SAFE_METHODS.has(ctx.method)) {
    if (fromOtherSite(ctx)) throw UserError.notAllowed('CSRF_REFUSED', '请求来源不正确：请从本应用的页面操作。');
    const { session } = ctx.state as ApiState;
    if (session) {
      const given = ctx.get(CSRF_HEADER);
      if (!given || !sameText(given, session.csrfToken))
        throw UserError.notAllowed('CSRF_REFUSED', '请求缺少有效的安全令牌（X-CSRF-Token），请刷新页面后重试。');
    }
  }
  await next();
}

/** The session of a request that needs one; 401 otherwise. */
export function sessionOf(ctx: Context): WebSession {
  const { session } = ctx.state as ApiState;
  if (!session) throw needLogin();
  return session;
}

/**
 * R3: a session on the initial password may only read /api/me, change the password and log
 * out until the password is changed; everything else answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export function requireSession(opts: { beforePasswordChange?: boolean } = {}) {
  return async (ctx: Context, next: Next) => {
    const session = sessionOf(ctx);
    if (session.person.mustChangePassword && !opts.beforePasswordChange) {
      throw UserError.notAllowed('PASSWORD_CHANGE_REQUIRED', '您正在使用初始密码（身份证号码后 8 位），请先修改密码后再使用其他功能。');
    }
    await next();
  };
}
