import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { Logger } from '../logger';
import { errorBoundary } from './errors';

/** What `/health` reports; `ok` false answers 503. */
export interface HealthReport {
  ok: boolean;
  body: Record<string, unknown>;
}

export interface AppDeps {
  logger: Logger;
  /** The state of the database (readable and writable) and the bot. */
  health: () => Promise<HealthReport>;
  /** Prometheus text for `GET /metrics`. */
  metrics?: () => Promise<string>;
  /** Keys that sign cookies (the local web chat's session). */
  cookieKeys?: string[];
  /** Trust X-Forwarded-* headers (only behind a proxy that sets them). */
  trustProxy?: boolean;
  /** Further routes (the Telegram webhook, the local web chat) mounted by the composition root. */
  routers?: Router[];
}

/** The Koa app, without `listen`, so tests mount it directly. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // A client could otherwise claim any address or scheme with a header.
  app.proxy = deps.trustProxy ?? false;
  if (deps.cookieKeys) app.keys = deps.cookieKeys;
  app.silent = true; // errors are handled and logged by the boundary
  app.use(errorBoundary(deps.logger));
  app.use(bodyParser({ jsonLimit: '30mb', enableTypes: ['json'] }));
  const router = new Router();
  router.get('/health', async (ctx) => {
    const report = await deps.health();
    ctx.status = report.ok ? 200 : 503;
    ctx.body = report.body;
  });
  if (deps.metrics) {
    const metrics = deps.metrics;
    router.get('/metrics', async (ctx) => {
      ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
      ctx.body = await metrics();
    });
  }
  app.use(router.routes()).use(router.allowedMethods());
  for (const r of deps.routers ?? []) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
