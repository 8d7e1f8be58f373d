/**
 * The local web chat on a phone (390×844, in Debian's Chromium through playwright-core): the
 * newest reply's buttons are in sight above the input bar, the password step uses a password
 * field, the file picker is a small button labelled in Chinese.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { LocalChannel } from '../../bot/local/local-channel';
import { webChatRouter } from '../../bot/local/web';
import { createApp } from '../../server/http/app';
import { makeAdmin, buildTree } from '../helpers/fixtures/admin-fixtures';
import { launchChromium, listenOnLoopback } from '../helpers/browser/browser';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let server: Server;
let browser: Browser;
let base: string;
let admin: Awaited<ReturnType<typeof makeAdmin>>;

beforeAll(async () => {
  sys = await createTestSystem();
  const t = await buildTree(sys, '机');
  admin = await makeAdmin(sys, t.school.id, '钱手机');
  const app = createApp({
    logger: sys.logger,
    health: async () => ({ ok: true, body: {} }),
    cookieKeys: ['phone-test'],
    routers: [webChatRouter(new LocalChannel(sys.runner, sys.services))],
  });
  ({ server, base } = await listenOnLoopback(app));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
  await sys.close();
});

/** The page's globals, as used inside page.evaluate (this project type-checks without the DOM library). */
interface BrowserElement {
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number };
  contains(other: unknown): boolean;
}
type BrowserDocument = { querySelectorAll(s: string): ArrayLike<BrowserElement> & Iterable<BrowserElement>; elementFromPoint(x: number, y: number): unknown };
type BrowserGlobals = { document: BrowserDocument; innerHeight: number; innerWidth: number };

/** Types a line and waits until the bot has answered it. */
async function say(page: Page, text: string): Promise<void> {
  const before = await page.locator('.msg.bot').count();
  await page.fill('#text', text);
  await page.click('#send');
  await page.waitForFunction((n) => (globalThis as unknown as BrowserGlobals).document.querySelectorAll('.msg.bot').length > n, before);
}

/** True when the element is fully inside the viewport and nothing covers its middle. */
async function inSight(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const win = globalThis as unknown as BrowserGlobals;
    const doc = win.document;
    const el = [...doc.querySelectorAll(sel)].pop();
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > win.innerHeight || r.left < 0 || r.right > win.innerWidth) return false;
    return el.contains(doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
  }, selector);
}

describe('the local web chat on a phone (390×844)', () => {
  it("the newest reply's last button is in sight above the input bar; the password is typed in a password field; the file button is small and Chinese", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });
    await page.goto(`${base}/chat`);
    await page.waitForSelector('.msg.bot .choices button');
    expect(await inSight(page, '.msg.bot:last-of-type .choices button')).toBe(true);

    await say(page, '/login');
    await say(page, admin.idNumber);
    expect(await page.getAttribute('#text', 'type')).toBe('password');
    await say(page, admin.password);
    expect(await page.getAttribute('#text', 'type')).toBe('text');
    // The admin's menu: many buttons, the last one 退出登录, in sight after the answer.
    const last = page.locator('.msg.bot').last().locator('.choices button').last();
    expect(await last.textContent()).toBe('退出登录');
    expect(await inSight(page, '.msg.bot:last-of-type .choices button')).toBe(true);
    // A long conversation later, still in sight.
    for (let i = 0; i < 6; i++) await say(page, '/help');
    expect(await inSight(page, '.msg.bot:last-of-type .choices button')).toBe(true);

    const pick = page.locator('#pick');
    expect((await pick.textContent())?.trim()).toBe('📎 文件');
    const box = await pick.boundingBox();
    expect(box!.width).toBeLessThan(100);
    expect(await page.locator('#file').isVisible()).toBe(false); // the browser's own (English) picker stays hidden
    await page.close();
  }, 60_000);
});
