import Router from '@koa/router';
import type { Context } from 'koa';
import { UserError } from '../../../errors';
import type { Person } from '../../../../models/Person';
import { LOGIN_SOURCE_RULE, type LimitRule, waitText } from '../../../services/platform/rate-limits';
import { TELEGRAM_CHANNEL, type WebSessionVia } from '../../../services/accounts/web-sessions';
import { verifyInitData } from '../../telegram-init-data';
import type { ApiContext } from '../context';
import { clearSessionCookie, deviceKey, requireSession, sessionOf, setSessionCookie, type ApiState } from './session';
import { parse } from '../validate';
import { send } from '../send';
import { loginResult, loginSchema, logoutResult, passwordResult, passwordSchema, telegramSchema } from './schema';

/**
 * Logins from one address, whatever device cookie it sends (one that drops the cookie is a new
 * login source for Accounts.login): generous, since a school's pupils may share one address.
 */
export const LOGIN_ADDRESS_RULE: LimitRule = { freeAttempts: 20, baseDelayMs: 5000, maxDelayMs: 900_000, windowMs: 3_600_000, maxPerWindow: 100 };

/** Login, the Mini App's exchange of initData for a session, logout and the password change. */
export function authRoutes(router: Router, api: ApiContext): void {
  const { services } = api;
  // The chat's instances: one set of login counters and sessions for every way in.
  const { webSessions: sessions, rateLimits: limits } = services;

  /** Opens a session for the person (ending the one the browser had) and sets its cookie. */
  async function openSession(ctx: Context, person: Person, via: WebSessionVia, telegramUserId: string | null = null) {
    const had = (ctx.state as ApiState).session;
    if (had) await sessions.end(had.tokenHash);
    const { token, csrfToken } = await sessions.open(person, via, telegramUserId);
    setSessionCookie(ctx, token, via, services.deps.loginIdleMs);
    send(ctx, loginResult, {
      person: { id: person.id, name: person.name, idMasked: person.idMasked },
      via,
      mustChangePassword: person.mustChangePassword,
      csrfToken,
    });
  }

  // R2, R3: the same login, limits and forced first change as the bot's /login.
  router.post('/api/login', async (ctx) => {
    const body = parse(loginSchema, ctx.request.body);
    const addressKey = `login:address:${ctx.ip}`;
    const refused = await limits.claim(addressKey, LOGIN_ADDRESS_RULE);
    if (refused) throw UserError.limited('LOGIN_LIMITED', `登录失败次数过多，请 ${waitText(refused.waitMs)}后再试`);
    const person = await services.accounts.login(body.idNumber, body.password, deviceKey(ctx));
    await limits.refund(addressKey);
    await openSession(ctx, person, 'password');
  });

  // The Mini App: Telegram's signed initData names the Telegram user; their bot login names the account.
  router.post('/api/telegram/session', async (ctx) => {
    if (!api.botToken) throw UserError.notFound('TELEGRAM_OFF', '本服务未启用 Telegram 机器人，请用身份证号码和密码登录。');
    const { initData } = parse(telegramSchema, ctx.request.body);
    const checked = verifyInitData(initData, api.botToken, { maxAgeMs: api.miniAppMaxAgeMs, now: services.deps.now() });
    if (!checked.ok) {
      services.deps.logger.info({ reason: checked.reason }, 'mini app initData refused');
      throw UserError.unauthenticated('INIT_DATA_INVALID', 'Telegram 登录信息无效或已过期，请关闭本页面后从机器人中重新打开。');
    }
    const userId = String(checked.user.id);
    const personId = await sessions.telegramAccount(userId);
    const person = personId === null ? null : await services.accounts.get(personId);
    if (!person) throw UserError.unauthenticated('NOT_LOGGED_IN_BOT', '请先在机器人中发送 /login，用身份证号码和密码登录，再打开本应用。');
    await openSession(ctx, person, 'telegram', userId);
  });

  // Only this browser's session ends (a Mini App's Telegram chat stays logged in).
  router.post('/api/logout', async (ctx) => {
    const { session } = ctx.state as ApiState;
    if (session) await sessions.end(session.tokenHash);
    clearSessionCookie(ctx);
    send(ctx, logoutResult, { ok: true });
  });

  // R3: the one change a session on the initial password may make. The current password is asked
  // every time (a session left open is not the password), its wrong tries limited per session.
  router.post('/api/me/password', requireSession({ beforePasswordChange: true }), async (ctx) => {
    const session = sessionOf(ctx);
    const body = parse(passwordSchema, ctx.request.body);
    const key = `login:client:web-session:${session.tokenHash.slice(0, 24)}`;
    const refused = await limits.claim(key, LOGIN_SOURCE_RULE);
    if (refused) throw UserError.limited('LOGIN_LIMITED', `密码输错次数过多，请 ${waitText(refused.waitMs)}后再试`);
    const person = await services.accounts.require(session.person.id);
    if (!(await services.accounts.checkPassword(person, body.currentPassword))) throw UserError.invalid('CURRENT_PASSWORD_WRONG', '当前密码不正确');
    await limits.reset(key);
    // Every chat login ends but the Telegram chat this Mini App was opened from, as a change in chat keeps that chat.
    const keep = session.via === 'telegram' && session.telegramUserId ? { channel: TELEGRAM_CHANNEL, userId: session.telegramUserId } : undefined;
    const endedChats = await services.accounts.changePassword(person.id, body.newPassword, keep);
    const changed = await services.accounts.require(person.id);
    const endedWebSessions = await sessions.passwordChanged(person.id, session.tokenHash, changed.passwordHash);
    send(ctx, passwordResult, { ok: true, endedChats, endedWebSessions });
  });
}
