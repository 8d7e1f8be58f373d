import crypto from 'node:crypto';
import type { Server } from 'node:http';
import { createApp } from '../../../server/http/app';
import { apiRouter } from '../../../server/http/api';
import { birthYearsAgo, buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import type { TestSystem } from '../../helpers/system';
import { checkAnswer } from './contract-check';

/** The bot token the test servers check initData with (BotFather's form), and another bot's. */
export const TEST_BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
export const OTHER_BOT_TOKEN = '987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';
export const DAY = 86_400_000;

/** The app with the API mounted, listening on a free port of loopback. */
export async function startApi(sys: TestSystem, opts: { botToken?: string | null; trustProxy?: boolean; miniAppMaxAgeMs?: number } = {}) {
  const app = createApp({
    logger: sys.logger,
    health: async () => ({ ok: true, body: {} }),
    cookieKeys: ['api-test-cookie-key'],
    trustProxy: opts.trustProxy,
    routers: [
      apiRouter({
        services: sys.services,
        botToken: opts.botToken === null ? undefined : (opts.botToken ?? TEST_BOT_TOKEN),
        miniAppMaxAgeMs: opts.miniAppMaxAgeMs ?? DAY,
      }),
    ],
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Answer {
  status: number;
  /** The parsed JSON (null for a body of another type, e.g. a download). */
  body: any;
  setCookies: string[];
  headers: Headers;
  /** The body's bytes, whatever its type. */
  data: Buffer;
}

/** A browser: keeps cookies (by name, as the server set them) and the CSRF token the API gave. */
export class ApiClient {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const data = Buffer.from(await res.arrayBuffer());
    const json = /json/.test(res.headers.get('content-type') ?? '');
    const parsed = data.length && json ? JSON.parse(data.toString('utf8')) : null;
    // Every answer the API tests receive is checked against the route's schema.
    checkAnswer(method, path, res.status, parsed, json && data.length > 0);
    if (parsed?.csrfToken) this.csrf = parsed.csrfToken;
    if (parsed?.session?.csrfToken) this.csrf = parsed.session.csrfToken;
    return { status: res.status, body: parsed, setCookies, headers: res.headers, data };
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, undefined, headers);
  post = (path: string, body: unknown = {}, headers?: Record<string, string>) => this.request('POST', path, body, headers);
  del = (path: string, headers?: Record<string, string>) => this.request('DELETE', path, undefined, headers);

  async login(idNumber: string, password: string): Promise<Answer> {
    const res = await this.post('/api/login', { idNumber, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
}

/**
 * initData as Telegram builds it for a Mini App (core.telegram.org/bots/webapps, "Validating
 * data received via the Mini App"), written here apart from the server's code: the fields,
 * then hash = hex(HMAC_SHA256(HMAC_SHA256("WebAppData", token), data_check_string)).
 */
export function telegramInitData(token: string, fields: { user: Record<string, unknown>; authDate: Date; extra?: Record<string, string> }): string {
  const values: Record<string, string> = {
    query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
    user: JSON.stringify(fields.user),
    auth_date: String(Math.floor(fields.authDate.getTime() / 1000)),
    ...fields.extra,
  };
  const check = Object.keys(values)
    .sort()
    .map((k) => `${k}=${values[k]}`)
    .join('\n');
  const secret = crypto.createHmac('sha256', 'WebAppData').update(token).digest();
  const hash = crypto.createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...values, hash }).toString();
}

/** The password members of the test world use (set, so no first change is asked). */
export const MEMBER_PASSWORD = 'Member2024x';

/**
 * A subtree of the tree helper with its people: admins of the school committee, of branch A and
 * of the unrelated county committee; a complete member and an incomplete one of branch A; a
 * member of branch B; and an activity of branch A with the first member on its list.
 */
export async function buildWorld(sys: TestSystem, tag: string) {
  const tree = await buildTree(sys, tag);
  const committeeAdmin = await makeAdmin(sys, tree.school.id, '钱委员');
  const branchAdmin = await makeAdmin(sys, tree.branchA.id, '孙支书');
  const otherAdmin = await makeAdmin(sys, tree.other.id, '周县委');
  const memberId = makeIdNumber(birthYearsAgo(sys.clock.now, 18));
  const member = await sys.services.accounts.create({
    idNumber: memberId,
    name: '吴团员',
    role: 'member',
    branchId: tree.branchA.id,
    password: MEMBER_PASSWORD,
    phone: '13912345678',
    ethnicity: '汉族',
    education: '高中',
    joinedLeagueAt: '2021-05-04',
  });
  const incomplete = await buildPerson(sys, { name: '郑缺项', branchId: tree.branchA.id, password: MEMBER_PASSWORD });
  const memberB = await buildPerson(sys, { name: '王乙班', branchId: tree.branchB.id, password: MEMBER_PASSWORD });
  const now = sys.clock.now;
  const activity = await sys.services.activities.create(branchAdmin.person.id, {
    orgId: tree.branchA.id,
    kind: 'league_day',
    title: `团日活动${tag}`,
    startsAt: new Date(now.getTime() + DAY),
    endsAt: new Date(now.getTime() + DAY + 7_200_000),
  });
  await sys.services.activityParticipants.add(branchAdmin.person.id, activity.id, [member.id]);
  return {
    tree,
    committeeAdmin,
    branchAdmin,
    otherAdmin,
    member: { person: member, idNumber: memberId, password: MEMBER_PASSWORD },
    incomplete,
    memberB,
    activity,
  };
}

/** A pending 团员团干部注册 (R8) to branch `branchId`. */
export async function pendingRegistration(sys: TestSystem, branchId: number) {
  const { app } = await sys.services.applications.registerMember({
    idNumber: makeIdNumber(birthYearsAgo(sys.clock.now, 22)),
    name: '冯申请',
    joinedLeagueAt: '2015-05-04',
    role: 'member',
    branchId,
    phone: '13800138000',
    password: 'Apply2024x',
  });
  return app;
}
