import fs from 'node:fs';
import type { Server } from 'node:http';
import type Koa from 'koa';
import { chromium, type Browser } from 'playwright-core';
import { testChromium } from './chromium';

/** A Chromium of the machine's to use instead of the one the npm packages bring (e.g. /usr/bin/chromium). */
export const CHROMIUM = process.env.CHROMIUM_PATH;

/**
 * Headless Chromium: the one npm brings (see chromium.ts), so that `npm ci && npm test` needs
 * nothing else on the machine. Without the background-networking flags it keeps trying Google's
 * hosts, which a closed network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM && !fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at CHROMIUM_PATH=${CHROMIUM}: unset it to use the one npm ci installs`);
  const bundled = CHROMIUM ? null : await testChromium();
  return chromium.launch({
    executablePath: CHROMIUM ?? bundled!.executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...(bundled ? { env: { ...process.env, ...bundled.env } as Record<string, string> } : {}),
  });
}

/** The app on a free port of loopback, and its base URL. */
export async function listenOnLoopback(app: Koa): Promise<{ server: Server; base: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}
