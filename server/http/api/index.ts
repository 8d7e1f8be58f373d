import Router from '@koa/router';
import { activityRoutes } from './activities/routes';
import { applicationRoutes } from './applications/routes';
import { authRoutes } from './accounts/routes';
import { apiContext, type ApiOptions } from './context';
import { meRoutes } from './membership/routes';
import { orgRoutes } from './organisations/routes';
import { csrfGuard, loadSession } from './accounts/session';

export type { ApiOptions } from './context';

/**
 * The web app's JSON API under /api/ (the Telegram Mini App and the phone browser, R22): a
 * session from a password login or from Telegram's initData, CSRF checked on every state
 * change, each route a few lines over the same services and permission checks as chat.
 * Errors have the one shape `{ error: { code, message } }` (server/http/errors.ts).
 * Needs the app's cookie keys (sessions are signed cookies).
 * @example createApp({ ..., routers: [apiRouter({ services, botToken, miniAppMaxAgeMs })] })
 */
export function apiRouter(opts: ApiOptions): Router {
  const api = apiContext(opts);
  const router = new Router();
  router.use('/api', loadSession(api.services.webSessions, api.tickets), csrfGuard);
  router.use('/api', async (ctx, next) => {
    ctx.set('cache-control', 'no-store');
    await next();
  });
  authRoutes(router, api);
  meRoutes(router, api);
  orgRoutes(router, api);
  activityRoutes(router, api);
  applicationRoutes(router, api);
  return router;
}
