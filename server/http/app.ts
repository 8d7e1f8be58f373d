import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { Logger } from '../logger';
import { errorBoundary } from './errors';

export interface AppDeps {
  logger: Logger;
  /** True while the database answers. */
  databaseUp: () => Promise<boolean>;
  /** Further routes (the Telegram webhook, the local web chat) mounted by the composition root. */
  routers?: Router[];
}

/** The Koa app, without `listen`, so tests mount it directly. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true; // errors are handled and logged by the boundary
  app.use(errorBoundary(deps.logger));
  app.use(bodyParser({ jsonLimit: '30mb', enableTypes: ['json'] }));
  const router = new Router();
  router.get('/health', async (ctx) => {
    const up = await deps.databaseUp();
    ctx.status = up ? 200 : 503;
    ctx.body = { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down' };
  });
  app.use(router.routes()).use(router.allowedMethods());
  for (const r of deps.routers ?? []) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
