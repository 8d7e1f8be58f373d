/**
 * What the simulated people do during the soak, each kind of thing a small function: members
 * log in, look at /me, /fee, /help, /my_activities (now and then answering an invitation with
 * its button), /start, /logout; strangers send wrong passwords to one account in bursts; the
 * members of an activity send its sign-in code at once; an admin imports spreadsheets; another
 * announces once; phone browsers use the web app. A chat never has two updates outstanding.
 */
import type { ApiCall, BotApiEmulator, EmuUser } from '../test/helpers/telegram/bot-api-emulator';
import { writeRosterXlsx } from './roster-data';
import { random } from './random';
import type { ReplyWatcher } from './soak-replies';
import { adminPage, memberPage, WebClient, webLogin, WebStats } from './soak-web';
import type { SoakUser, SoakWorld } from './soak-world';

export const IMPORT_ROWS = 300;
/** Chats of the wrong-password bursts: fresh ones each time, never logged in. */
const FIRST_STRANGER_CHAT = 8_600_000;
const ANNOUNCEMENT = '耐力测试通知：本周五下午三点在学校礼堂开展主题团日活动，请各位团员准时参加。';

/** What happened besides single answers, for the report. */
export interface DriveCounts {
  wrongPasswordBursts: number[];
  signinBursts: number[];
  imports: Array<{ ms: number | null }>;
  announcement: { id: number; recipients: number; reachable: number } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (polling), or the time is up; true when it held. */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(100);
  }
  return true;
}

/** The callback data of the first button of a sent message whose data starts with `prefix`. */
function buttonData(call: ApiCall, prefix: string): string | undefined {
  const rows = (call.params.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)?.inline_keyboard ?? [];
  return rows
    .flat()
    .map((b) => b.callback_data)
    .find((d) => d?.startsWith(prefix));
}

export class SoakDriver {
  readonly counts: DriveCounts = { wrongPasswordBursts: [], signinBursts: [], imports: [], announcement: null };
  readonly web = new WebStats();
  private readonly rng = random(20_261_203);
  /** Chats with an action under way: the driver starts nothing else in them. */
  private readonly busy = new Set<number>();
  private readonly webClients: Array<{ client: WebClient; user: SoakUser; admin: boolean; busy: boolean }>;
  private strangers = FIRST_STRANGER_CHAT;
  private victim = 0;

  constructor(
    private readonly emu: BotApiEmulator,
    private readonly watcher: ReplyWatcher,
    private readonly world: SoakWorld,
    base: string,
    private readonly maxUpdates: number,
    webUsers: number,
  ) {
    const webPeople = [...world.members.slice(-webUsers).map((user) => ({ user, admin: false })), { user: world.importAdmin, admin: true }];
    this.webClients = webPeople.map((p) => ({ ...p, client: new WebClient(base), busy: false }));
  }

  /** True once the update budget is spent: nothing new is started. */
  get spent(): boolean {
    return this.watcher.sent >= this.maxUpdates;
  }

  // ---- one update, one answer ---------------------------------------------------------------

  private text(user: EmuUser, kind: string, text: string, answer: RegExp): Promise<ApiCall | null> {
    return this.watcher.send(user.id, kind, answer, () => this.emu.sendText(user, text));
  }

  private press(user: EmuUser, kind: string, data: string, on: ApiCall, answer: RegExp): Promise<ApiCall | null> {
    return this.watcher.send(user.id, kind, answer, () => this.emu.pressButton(user, data, on.result as Record<string, unknown>));
  }

  /** Runs `fn` for a chat that is not busy, marking it busy meanwhile. */
  private async inChat(chatId: number, fn: () => Promise<unknown>): Promise<void> {
    this.busy.add(chatId);
    try {
      await fn();
    } finally {
      this.busy.delete(chatId);
    }
  }

  private idleMembers(loggedIn: boolean): SoakUser[] {
    return this.world.members.filter((m) => m.loggedIn === loggedIn && !this.busy.has(m.chatId));
  }

  // ---- what members do ----------------------------------------------------------------------

  /** One thing a random idle member does, by whether they are logged in. */
  async memberAction(): Promise<void> {
    const r = this.rng();
    const loggedIn = this.rng() < 0.75;
    const pool = this.idleMembers(loggedIn).length ? this.idleMembers(loggedIn) : this.idleMembers(!loggedIn);
    if (!pool.length || this.spent) return;
    const m = pool[Math.floor(this.rng() * pool.length)];
    const u = { id: m.chatId, first_name: m.name };
    await this.inChat(m.chatId, async () => {
      if (!m.loggedIn) {
        if (r < 0.8) return this.login(m);
        return r < 0.9 ? this.text(u, '/start (guest)', '/start', /这里是智慧团建/) : this.text(u, '/help (guest)', '/help', /可用的命令/);
      }
      if (r < 0.3) return this.text(u, '/me', '/me', /【我的信息】/);
      if (r < 0.5) return this.text(u, '/fee', '/fee', /【我的团费】/);
      if (r < 0.62) return this.text(u, '/help', '/help', /可用的命令/);
      if (r < 0.8) return this.myActivities(u);
      if (r < 0.92) return this.text(u, '/start', '/start', /欢迎使用智慧团建/);
      const out = await this.text(u, '/logout', '/logout', /已退出登录/);
      if (out) m.loggedIn = false;
    });
  }

  /** /login, the ID number, the password: three updates, each waiting for its answer. */
  async login(m: SoakUser): Promise<void> {
    const u = { id: m.chatId, first_name: m.name };
    if (!(await this.text(u, 'login: /login', '/login', /请输入您的身份证号码/))) return;
    if (!(await this.text(u, 'login: ID number', m.idNumber, /请输入密码/))) return;
    if (await this.text(u, 'login: password', m.password, /登录成功/)) m.loggedIn = true;
  }

  /** /my_activities, and now and then 报名 pressed on the answer. */
  private async myActivities(u: EmuUser): Promise<void> {
    const list = await this.text(u, '/my_activities', '/my_activities', /【我的活动】/);
    const data = list && this.rng() < 0.4 ? buttonData(list, '!act:r:') : undefined;
    if (data) await this.press(u, 'button 报名', data, list!, /已报名|已告知组织者|已结束|失效/);
  }

  // ---- bursts -------------------------------------------------------------------------------

  /**
   * R2: `n` strangers each reach the password step for one account, then all send a wrong
   * password at the same moment (the /login and ID number steps go at once too).
   */
  async wrongPasswordBurst(n: number): Promise<void> {
    const victim = this.world.victims[this.victim++ % this.world.victims.length];
    const chats = Array.from({ length: n }, () => ({ id: this.strangers++, first_name: '陌生人' }));
    const all = (kind: string, text: (i: number) => string, answer: RegExp) => Promise.all(chats.map((c, i) => this.text(c, kind, text(i), answer)));
    await all('burst: /login', () => '/login', /请输入您的身份证号码/);
    await all('burst: ID number', () => victim.idNumber, /请输入密码/);
    await all('burst: wrong password', (i) => `Wrong${i}pass`, /身份证号码或密码不正确|次数过多|次数较多/);
    this.counts.wrongPasswordBursts.push(n);
  }

  /** R19: every idle logged-in member (up to `max`) sends activity `k`'s code at once; one in ten a wrong one. */
  async signinBurst(k: number, max: number): Promise<void> {
    const { code } = this.world.activities[k];
    const wrong = code === '000000' ? '111111' : '000000';
    const who = this.idleMembers(true).slice(0, max);
    await Promise.all(
      who.map((m, i) =>
        this.inChat(m.chatId, () => {
          const u = { id: m.chatId, first_name: m.name };
          return i % 10 === 9 ? this.text(u, 'sign-in: wrong code', wrong, /签到码不正确|次数过多/) : this.text(u, 'sign-in: code', code, /签到成功|您已签到/);
        }),
      ),
    );
    this.counts.signinBursts.push(who.length);
  }

  // ---- the admins ---------------------------------------------------------------------------

  /** R7: /import, the file; then the outcome, which comes through the outbox when the background job is done. */
  async importRound(k: number): Promise<void> {
    const admin = this.world.importAdmin;
    const u = { id: admin.chatId, first_name: admin.name };
    const file = (await writeRosterXlsx({ rows: IMPORT_ROWS, branches: this.world.branchNames, idOffset: 100_000 + k * IMPORT_ROWS, inMemory: true }))!;
    const name = `耐力名单${k + 1}.xlsx`;
    const outcomes = () => this.watcher.prefixCounts(`导入成功：共 ${IMPORT_ROWS} 人`).messages;
    const before = outcomes();
    const started = Date.now();
    let ok = false;
    await this.inChat(admin.chatId, async () => {
      if (!(await this.text(u, 'import: /import', '/import', /请把填好的团员名单文件/))) return;
      const taken = await this.watcher.send(admin.chatId, 'import: file', new RegExp(`已收到“${name}”`), () =>
        this.emu.sendDocument(u, { content: file, fileName: name }),
      );
      ok = !!taken && (await until(() => outcomes() > before, 300_000));
    });
    this.counts.imports.push({ ms: ok ? Date.now() - started : null });
  }

  /** R21: the whole /announce conversation, buttons pressed as a person would. */
  async announce(): Promise<void> {
    const a = this.world.announcer;
    const u = { id: a.chatId, first_name: a.name };
    await this.inChat(a.chatId, async () => {
      const audience = await this.text(u, 'announce: /announce', '/announce', /请选择通知对象/);
      if (!audience) return;
      const kinds = await this.press(u, 'announce: button', 'aud:all', audience, /是否只发给某一类组织/);
      if (!kinds) return;
      if (!(await this.press(u, 'announce: button', 'kind:any', kinds, /请输入通知内容/))) return;
      const preview = await this.text(u, 'announce: text', ANNOUNCEMENT, /【预览】/);
      if (!preview) return;
      const sent = await this.press(u, 'announce: button', 'send', preview, /通知已发布/);
      const reach = /共 (\d+) 人，其中 (\d+) 人已在聊天中登录/.exec(String(preview.params.text));
      const id = /编号 (\d+)/.exec(String(sent?.params.text ?? ''));
      if (sent && reach && id) this.counts.announcement = { id: Number(id[1]), recipients: Number(reach[1]), reachable: Number(reach[2]) };
    });
  }

  // ---- the web app --------------------------------------------------------------------------

  /** One request of a random idle browser: a login first, then pages; now and then a logout. */
  async webAction(): Promise<void> {
    const idle = this.webClients.filter((w) => !w.busy);
    if (!idle.length) return;
    const w = idle[Math.floor(this.rng() * idle.length)];
    w.busy = true;
    try {
      const pick = this.rng();
      if (!w.client.loggedIn) await webLogin(this.web, w.client, w.user.idNumber, w.user.password);
      else if (pick < 0.03) {
        await this.web.time(w.client, 'POST /api/logout', 'POST', '/api/logout', {});
        w.client.loggedIn = false;
      } else if (w.admin) await adminPage(this.web, w.client, pick, this.world.schoolId);
      else await memberPage(this.web, w.client, pick, this.world.activities[0]?.id ?? 1);
    } finally {
      w.busy = false;
    }
  }
}
