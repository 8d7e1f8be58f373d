import type { Context } from 'koa';

/**
 * True for a request another site's page sent: its Origin names another host (or is no URL),
 * or the browser says so (Sec-Fetch-Site). The cookies are SameSite as well; this also covers
 * browsers and cookies that are not.
 */
export function fromOtherSite(ctx: Context): boolean {
  if (ctx.get('sec-fetch-site') === 'cross-site') return true;
  const origin = ctx.get('origin');
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== ctx.host;
  } catch {
    return true;
  }
}
