/**
 * A member's everyday defects in the web app (R22, issue 22 items 4, 5 and 7b-e), in a real
 * headless Chromium on a phone against the Koa app and a real database: 待答复 and the sign-in
 * toast follow the server's answer; an ended session says so and comes back; an account changed
 * in another tab is read again; 修改密码 has a way back; no initData in an address; no Back
 * button flash at a Mini App's launch; fees paid ahead are said.
 */
import type { Page } from 'playwright-core';
import { asTelegramDesktop, sentEvents, startWebApp, type WebAppHarness } from '../../helpers/browser/web-app';
import { buildPerson } from '../../helpers/fixtures/factories';
import { DAY, MEMBER_PASSWORD, telegramInitData, TEST_BOT_TOKEN } from '../../http/api/helpers';
import { until } from '../../helpers/wait';

let h: WebAppHarness;
let w: WebAppHarness['w'];

beforeAll(async () => {
  h = await startWebApp('日', 'webapp-member-day');
  w = h.w;
}, 120_000);
afterAll(() => h?.close());
afterEach(() => h.closeContexts());

/** An activity of branch A in `startsInMs`, lasting an hour, with `personIds` on its list. */
async function activity(title: string, startsInMs: number, personIds: number[]) {
  const now = h.sys.clock.now.getTime();
  const a = await h.sys.services.activities.create(w.branchAdmin.person.id, {
    orgId: w.tree.branchA.id,
    kind: 'league_day',
    title,
    startsAt: new Date(now + startsInMs),
    endsAt: new Date(now + startsInMs + 3_600_000),
  });
  await h.sys.services.activityParticipants.add(w.branchAdmin.person.id, a.id, personIds);
  return a;
}

/** The number on the 待答复 tab's badge (0 when there is none). */
const upcomingBadge = (page: Page) =>
  page
    .locator('.van-tab:has-text("待答复") .van-badge')
    .allInnerTexts()
    .then((t) => (t.length ? Number(t[0]) : 0));

/** The toast on show now, once it says something. */
const toastText = (page: Page) => page.locator('.van-toast:visible').innerText();

/** Telegram's launch address of the app at `path` with this initData. */
const launch = (path: string, data: string) =>
  `${h.base}/app${path}#tgWebAppData=${encodeURIComponent(data)}&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop&tgWebAppThemeParams=${encodeURIComponent('{"bg_color":"#ffffff"}')}`;

const initDataOf = (tgId: number, firstName: string) =>
  telegramInitData(TEST_BOT_TOKEN, {
    user: { id: tgId, first_name: firstName },
    authDate: new Date(h.sys.clock.now.getTime() - 60_000),
    extra: { chat_type: 'sender', signature: 'c2lnbmF0dXJlLW9mLXRlbGVncmFt' },
  });

describe('R19 待答复 and sign-in follow the server', () => {
  it('R19: an activity answered 不参加 leaves 待答复 and its badge, and the toast says what was recorded', async () => {
    const declined = await activity('主题团日：垃圾分类', 2 * DAY, [w.member.person.id]);
    const { page, errors } = await h.phone();
    await h.logIn(page, w.member.idNumber, w.member.password);
    await page.goto(`${h.base}/app/activities`);
    const card = page.locator(`.van-tab__panel [data-activity="${declined.id}"]:visible`);
    await card.waitFor();
    const waiting = (await h.sys.services.activityParticipants.ofPerson(w.member.person.id)).filter((r) => r.response === 'invited').length;
    expect(waiting).toBeGreaterThanOrEqual(2);
    expect(await upcomingBadge(page)).toBe(waiting);

    await card.locator('button:has-text("不参加")').click();
    await page.waitForSelector('.van-toast:visible:has-text("已回复不参加")');
    await card.waitFor({ state: 'detached' });
    await until(async () => (await upcomingBadge(page)) === waiting - 1, { what: `the badge at ${waiting - 1}`, seen: () => upcomingBadge(page) });
    const row = (await h.sys.services.activityParticipants.ofPerson(w.member.person.id)).find((r) => r.activity.id === declined.id);
    expect(row?.response).toBe('declined');
    await h.shot(page, '01-declined-left-upcoming');

    // Its own list keeps it, where 报名 is still open; a reload shows the same.
    await page.click('.van-tab:has-text("不参加")');
    await page.waitForSelector(`.van-tab__panel [data-activity="${declined.id}"]:visible`);
    await page.reload();
    await page.waitForSelector(`.van-tab__panel [data-activity="${w.activity.id}"]:visible`);
    expect(await page.locator(`.van-tab__panel:visible [data-activity="${declined.id}"]`).count()).toBe(0);
    expect(await upcomingBadge(page)).toBe(waiting - 1);
    await page.click('.van-tab:has-text("不参加")');
    await page.locator(`.van-tab__panel [data-activity="${declined.id}"]:visible button:has-text("报名")`).click();
    await page.waitForSelector('.van-toast:visible:has-text("已报名")');
    await page.click('.van-tab:has-text("已报名")');
    await page.waitForSelector(`.van-tab__panel [data-activity="${declined.id}"]:visible`);
    expect(errors).toEqual([]);
  });

  it("R19: signing in again says 您已签到 (the server's answer), not 签到成功", async () => {
    const open = await activity('团课：再签一次', 5 * 60_000, [w.member.person.id]);
    const { page, errors } = await h.phone();
    await h.logIn(page, w.member.idNumber, w.member.password);
    await page.goto(`${h.base}/app/activities`);
    await page.fill('input[name=code]', open.signinCode);
    await page.click('[data-test=signin] button:has-text("签到")');
    await page.waitForSelector('[data-test=signin-result]:has-text("签到成功")');
    expect(await toastText(page)).toBe('签到成功');

    await page.fill('input[name=code]', open.signinCode);
    await page.click('[data-test=signin] button:has-text("签到")');
    await page.waitForSelector('[data-test=signin-result]:has-text("您已签到")');
    expect(await toastText(page)).toBe('您已签到');
    await h.shot(page, '02-signed-in-already');
    expect(errors).toEqual([]);
  });
});

describe('R2 R22 session and accounts', () => {
  it('R2: an ended session says 登录已过期，请重新登录 and comes back to the page after the login', async () => {
    const { page, errors } = await h.phone();
    await h.logIn(page, w.member.idNumber, w.member.password);
    await page.click('.van-tabbar-item:has-text("团费")');
    await page.waitForSelector('[data-page=fees]');
    const saved = h.sys.clock.now;
    // Idle past the login's limit: the server's next answer is 401.
    h.sys.clock.advance(h.sys.services.deps.loginIdleMs + 60_000);
    try {
      await page.click('.van-tabbar-item:has-text("活动")');
      await page.waitForSelector('[data-test=expired]');
    } finally {
      h.sys.clock.now = saved;
    }
    await expect(page.locator('[data-test=expired]').innerText()).resolves.toContain('登录已过期，请重新登录');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/app/login');
    expect(url.searchParams.get('next')).toBe('/activities');
    await h.shot(page, '03-session-expired');
    await page.fill('input[name=idNumber]', w.member.idNumber);
    await page.fill('input[name=password]', w.member.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-page=activities]');
    expect(new URL(page.url()).pathname).toBe('/app/activities');
    expect(errors).toEqual([]);
  });

  it('R2: after a logout and a login as someone else in another tab, the first tab shows the new person, never the old name', async () => {
    const someone = await buildPerson(h.sys, { name: '冯另一', branchId: w.tree.branchB.id, password: MEMBER_PASSWORD });
    const { page: first, errors } = await h.phone();
    await h.logIn(first, w.member.idNumber, w.member.password);
    await expect(first.locator('[data-page=profile] .name').innerText()).resolves.toBe('吴团员');

    // The second tab of the same browser (same cookies): out, and in as 郑缺项.
    const second = await first.context().newPage();
    await second.goto(`${h.base}/app/`);
    await second.waitForSelector('[data-page=profile]');
    await second.click('.van-cell:has-text("退出登录")');
    await second.click('.van-dialog__confirm');
    await second.waitForSelector('input[name=idNumber]');
    await second.fill('input[name=idNumber]', w.incomplete.idNumber);
    await second.fill('input[name=password]', MEMBER_PASSWORD);
    await second.click('button[type=submit]');
    await second.waitForSelector('[data-page=profile]');

    // The first tab reads the session again by itself and draws 我的 for 郑缺项.
    await first.bringToFront();
    await first.locator('[data-page=profile] .name', { hasText: '郑缺项' }).waitFor();
    expect(await first.locator('[data-page=profile]').innerText()).not.toContain('吴团员');
    await h.shot(first, '04-account-switched-in-other-tab');

    // A login that no tab of this page made (another window's): the next answer, from another session, is read again.
    const request = first.context().request;
    const loginElsewhere = async (idNumber: string) => {
      const { session } = (await (await request.get(`${h.base}/api/me`)).json()) as { session: { csrfToken: string } };
      const res = await request.post(`${h.base}/api/login`, { data: { idNumber, password: MEMBER_PASSWORD }, headers: { 'x-csrf-token': session.csrfToken } });
      expect(res.status()).toBe(200);
    };
    await loginElsewhere(someone.idNumber);
    await first.click('.van-tabbar-item:has-text("团费")');
    await first.locator('[data-page=fees]', { hasText: w.tree.branchB.fullName }).waitFor();
    expect(await first.locator('[data-page=fees]').innerText()).not.toContain(w.tree.branchA.fullName);
    await first.click('.van-tabbar-item:has-text("我的")');
    await expect(first.locator('[data-page=profile] .name').innerText()).resolves.toBe('冯另一');

    // The same person logged in again elsewhere (a new session): the page carries on with its data.
    await loginElsewhere(someone.idNumber);
    await first.click('.van-tabbar-item:has-text("活动")');
    await first.locator('[data-page=activities] .van-empty', { hasText: '没有待答复的活动' }).waitFor();
    expect(await first.locator('[data-page=activities]').innerText()).not.toContain('账号已变更');
    expect(errors).toEqual([]);
  });
});

describe('R22 small things', () => {
  it('R3 R22: 修改密码 opened from 我的 has a back arrow to 我的; a forced first change has none', async () => {
    const { page, errors } = await h.phone();
    await h.logIn(page, w.member.idNumber, w.member.password);
    await page.click('.van-cell:has-text("修改密码")');
    await page.waitForURL(/\/app\/password$/);
    const arrow = page.locator('.van-nav-bar .van-nav-bar__left .van-icon-arrow-left');
    await arrow.waitFor();
    await page.click('.van-nav-bar__left');
    await page.waitForSelector('[data-page=profile]');
    expect(new URL(page.url()).pathname).toBe('/app/');

    const fresh = await buildPerson(h.sys, { name: '冯初始', branchId: w.tree.branchA.id });
    const forced = await h.phone();
    await forced.page.goto(`${h.base}/app/`);
    await forced.page.fill('input[name=idNumber]', fresh.idNumber);
    await forced.page.fill('input[name=password]', fresh.idNumber.slice(-8));
    await forced.page.click('button[type=submit]');
    await forced.page.waitForURL(/\/app\/password$/);
    await forced.page.waitForSelector('.van-notice-bar');
    expect(await forced.page.locator('.van-nav-bar .van-icon-arrow-left').count()).toBe(0);
    expect([...errors, ...forced.errors]).toEqual([]);
  });

  it("R22: a refused Mini App login never puts Telegram's initData into the address", async () => {
    const tgId = 7_100_001;
    // Valid but forged (the name changed after signing), and valid but not logged in through the bot.
    const forged = initDataOf(tgId, 'Wu').replace(/first_name%22%3A%22Wu/, 'first_name%22%3A%22Xu');
    const unbound = initDataOf(tgId + 1, 'Nobody');
    for (const [path, data, says] of [
      ['/', forged, 'Telegram 登录信息无效'],
      ['/fees', unbound, '/login'],
    ] as const) {
      const { page, errors } = await h.phone();
      await asTelegramDesktop(page);
      await page.goto(launch(path, data));
      await page.waitForSelector('input[name=idNumber]');
      await expect(page.locator('.van-notice-bar').innerText()).resolves.toContain(says);
      const url = decodeURIComponent(page.url());
      expect(new URL(page.url()).pathname).toBe('/app/login');
      for (const piece of ['tgWebAppData', 'auth_date', 'hash=', 'signature', 'query_id', String(tgId)]) expect(url).not.toContain(piece);
      if (path !== '/') expect(new URL(page.url()).searchParams.get('next')).toBe(path);
      expect(errors).toEqual([]);
    }
  });

  it('R22: no Back button shows at a Mini App launch; it comes with the first page below a tab', async () => {
    const tgId = 7_100_100;
    await h.sys.services.bindings.bind('telegram', String(tgId), String(tgId), w.member.person.id);
    const { page, errors } = await h.phone();
    await asTelegramDesktop(page);
    await page.goto(launch('/', initDataOf(tgId, 'Wu')));
    await page.waitForSelector('[data-page=profile]');
    const backButton = async () =>
      (await sentEvents(page))
        .filter((e) => e.name === 'web_app_setup_back_button')
        .map((e) => (JSON.parse(e.data ?? '{}') as { is_visible?: boolean }).is_visible);
    await page.waitForFunction(() => (globalThis as unknown as { __sent: Array<{ name: string }> }).__sent.some((e) => e.name === 'web_app_ready'));
    expect(await backButton()).not.toContain(true);

    await page.click('.van-cell:has-text("修改密码")');
    await page.waitForURL(/\/app\/password$/);
    await until(async () => (await backButton()).at(-1) === true, { what: 'the back button shown', seen: backButton });
    expect(errors).toEqual([]);
  });

  it('R20: fees paid ahead are said: 已预交至 the last month paid', async () => {
    const personId = w.member.person.id;
    await h.sys.db.sequelize.query('UPDATE people SET created_at = :at WHERE id = :id', {
      replacements: { at: new Date('2025-06-01T00:00:00Z'), id: personId },
    });
    await h.sys.services.fees.profiles.set(w.branchAdmin.person.id, personId, { category: 'student', fromMonth: '2026-01' });
    await h.sys.services.fees.payments.record(w.branchAdmin.person.id, { personId, months: { from: '2026-01', to: '2026-12' }, amountFen: 240 });
    const { page, errors } = await h.phone();
    await h.logIn(page, w.member.idNumber, w.member.password);
    await page.goto(`${h.base}/app/fees`);
    await page.waitForSelector('[data-test=ahead]');
    await expect(page.locator('[data-test=ahead]').innerText()).resolves.toContain('已预交至 2026年12月');
    const body = await page.locator('[data-page=fees]').innerText();
    expect(body).toContain('2.20 元');
    expect(body).toContain('2.40 元');
    expect(body).toContain('含预交 1 个月');
    await h.shot(page, '05-fees-paid-ahead');
    expect(errors).toEqual([]);
  });
});
