import Router from '@koa/router';
import { safeEqual } from '../security/passwords';

/**
 * The Telegram webhook: checks the secret header in constant time, hands the update over and
 * answers 200 itself (telegraf's own callback leaves Koa's default 404, and Telegram retries).
 */
export function webhookRouter(opts: { path: string; secret: string; handleUpdate: (update: any) => Promise<void> }): Router {
  const router = new Router();
  router.post(opts.path, async (ctx) => {
    const given = ctx.get('x-telegram-bot-api-secret-token');
    if (!given || !safeEqual(given, opts.secret)) {
      ctx.status = 401;
      ctx.body = { error: { code: 'UNAUTHORIZED', message: 'bad webhook secret' } };
      return;
    }
    const update = ctx.request.body as { update_id?: unknown };
    if (!update || typeof update.update_id !== 'number') {
      ctx.status = 400;
      ctx.body = { error: { code: 'BAD_REQUEST', message: 'not a Telegram update' } };
      return;
    }
    await opts.handleUpdate(update);
    ctx.status = 200;
    ctx.body = { ok: true };
  });
  return router;
}
