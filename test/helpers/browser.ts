import fs from 'node:fs';
import type { Server } from 'node:http';
import type Koa from 'koa';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (playwright-core cannot download one here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium as this machine runs it: without the background-networking flags it keeps
 * trying Google's hosts, which the closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The app on a free port of loopback, and its base URL. */
export async function listenOnLoopback(app: Koa): Promise<{ server: Server; base: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}
