import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import send from 'koa-send';
import { WEB_APP_DIST } from './web-app-build';

const YEAR_MS = 365 * 86_400_000;

/**
 * The page may run inside Telegram (web.telegram.org frames it) and talks only to this server.
 * Vant sets inline styles, hence 'unsafe-inline' for styles (scripts stay 'self' only).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // Vant's icon font is inlined as data: (its CSS names a CDN copy too, which stays blocked).
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(ctx: Context): void {
  ctx.set('content-security-policy', CSP);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'no-referrer');
}

/**
 * The web app (R22) under /app/: hashed assets cached for a year, the page itself never cached
 * (it names the current assets), and every other /app/ path answered with the page (the app's
 * own router shows it). Built by web-app-build.ts; `dist` is the build's output.
 */
export function webAppRouter(dist = WEB_APP_DIST): Router {
  const router = new Router();
  router.get('/app', async (ctx, next) => (ctx.path === '/app' ? ctx.redirect('/app/') : next()));
  router.get('/app/assets/:file', async (ctx) => {
    securityHeaders(ctx);
    await send(ctx, path.join('assets', path.basename(ctx.params.file)), { root: dist, immutable: true, maxage: YEAR_MS, gzip: true, brotli: false });
  });
  router.get(/^\/app\/(.*)$/, async (ctx) => {
    securityHeaders(ctx);
    const file = path.join(dist, 'index.html');
    if (!fs.existsSync(file)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = '网页应用尚未构建：请运行 npm run build:app（npm start 会自动构建）。';
      return;
    }
    ctx.set('cache-control', 'no-cache');
    await send(ctx, 'index.html', { root: dist, gzip: true, brotli: false });
  });
  return router;
}
