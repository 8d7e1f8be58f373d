/**
 * The web app (R22) in a real headless Chromium on a phone, against the Koa app with the API and
 * the built pages on a real database: what every browser test file of the web app shares. Each
 * file starts its own harness in beforeAll and closes it in afterAll.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { createApp } from '../../../server/http/app';
import { apiRouter } from '../../../server/http/api';
import { webAppRouter } from '../../../server/http/web-app';
import { ensureWebAppBuilt } from '../../../server/http/web-app-build';
import { buildWorld, DAY, TEST_BOT_TOKEN } from '../../http/api/helpers';
import { createTestSystem, type TestSystem } from '../system';
import { launchChromium, listenOnLoopback } from './browser';

export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
};

export interface WebAppHarness {
  sys: TestSystem;
  base: string;
  browser: Browser;
  /** The folder of this file's screenshots and reports. */
  artifacts: string;
  /** A branch with a member, an admin, a school committee above: see buildWorld. */
  w: Awaited<ReturnType<typeof buildWorld>>;
  /** A fresh phone browser; page errors are collected in `errors`. */
  phone(options?: BrowserContextOptions): Promise<{ page: Page; errors: string[] }>;
  /** A screenshot under test-artifacts/<dir>/ once the page is still. */
  shot(page: Page, name: string): Promise<void>;
  /** Logs in through the login page and waits for 我的. */
  logIn(page: Page, idNumber: string, password: string): Promise<void>;
  /** Closes the contexts opened since the last call (call it in afterEach). */
  closeContexts(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the system, the app and Chromium. `tag` names the world's organisations and
 * `artifacts` the folder of the screenshots. The clock is set to a fixed day late in the year
 * so that the fee strip has paid and owed months.
 */
export async function startWebApp(tag: string, artifacts: string): Promise<WebAppHarness> {
  ensureWebAppBuilt();
  const dir = path.resolve(process.env.ARTIFACTS_DIR ?? path.join(__dirname, '../../../test-artifacts'), artifacts);
  fs.mkdirSync(dir, { recursive: true });
  const sys = await createTestSystem();
  sys.clock.now = new Date('2026-11-20T02:00:00Z');
  const w = await buildWorld(sys, tag);
  const app = createApp({
    logger: sys.logger,
    health: async () => ({ ok: true, body: {} }),
    cookieKeys: ['web-app-test'],
    routers: [apiRouter({ services: sys.services, botToken: TEST_BOT_TOKEN, miniAppMaxAgeMs: DAY }), webAppRouter()],
  });
  const { server, base } = await listenOnLoopback(app);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  const harness: WebAppHarness = {
    sys,
    base,
    browser,
    artifacts: dir,
    w,
    async phone(options = {}) {
      const context = await browser.newContext({ ...PHONE, acceptDownloads: true, ...options });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return { page, errors };
    },
    async shot(page, name) {
      await page
        .locator('.van-toast')
        .first()
        .waitFor({ state: 'hidden', timeout: 4000 })
        .catch(() => undefined);
      await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, animations: 'disabled' });
    },
    async logIn(page, idNumber, password) {
      await page.goto(`${base}/app/`);
      await page.waitForSelector('input[name=idNumber]');
      await page.fill('input[name=idNumber]', idNumber);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-page=profile]');
    },
    async closeContexts() {
      for (const c of contexts.splice(0)) await c.close();
    },
    async close() {
      await harness.closeContexts();
      await browser.close();
      await new Promise((r) => (server as Server).close(r));
      await sys.close();
    },
  };
  return harness;
}

/** Telegram Desktop's webview: the page posts its events to TelegramWebviewProxy (kept in __sent). */
export const asTelegramDesktop = (page: Page) =>
  page.addInitScript(() => {
    const win = globalThis as unknown as { __sent: Array<{ name: string; data?: string }>; TelegramWebviewProxy: unknown };
    win.__sent = [];
    win.TelegramWebviewProxy = { postEvent: (name: string, data?: string) => win.__sent.push({ name, data }) };
  });
export const sentEvents = (page: Page) => page.evaluate(() => (globalThis as unknown as { __sent: Array<{ name: string; data?: string }> }).__sent);
