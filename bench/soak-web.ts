/**
 * The web app's side of the soak: a phone browser as the API sees it (cookies kept, the CSRF
 * token sent on every state change), logging in with ID number and password and opening the
 * pages members and admins open.
 */
import { percentile } from './stats';

/** A browser: keeps the cookies the server set and the CSRF token it gave. */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;
  loggedIn = false;

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (cookie) headers.cookie = cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const parsed = /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : null;
    this.csrf = parsed?.csrfToken ?? parsed?.session?.csrfToken ?? this.csrf;
    return { status: res.status, body: parsed };
  }
}

/** Web requests by route, their times and the unexpected answers. */
export class WebStats {
  private readonly times = new Map<string, number[]>();
  requests = 0;
  /** Answers other than the expected status (a 5xx, or a refusal a valid request should not get). */
  readonly failures: string[] = [];

  async time(client: WebClient, route: string, method: 'GET' | 'POST', path: string, body?: unknown, expect = 200): Promise<{ status: number; body: any }> {
    const t0 = Date.now();
    this.requests++;
    let res: { status: number; body: any };
    try {
      res = await client.request(method, path, body);
    } catch (err) {
      this.failures.push(`${route}: ${(err as Error).message}`);
      return { status: 0, body: null };
    }
    const list = this.times.get(route) ?? [];
    list.push(Date.now() - t0);
    this.times.set(route, list);
    if (res.status !== expect) this.failures.push(`${route}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    return res;
  }

  figures(): { n: number; p50: number; p99: number } {
    const all = [...this.times.values()].flat().sort((a, b) => a - b);
    return { n: all.length, p50: percentile(all, 50), p99: percentile(all, 99) };
  }
}

/** Logs in with ID number and password, as the phone page does. */
export async function webLogin(stats: WebStats, client: WebClient, idNumber: string, password: string): Promise<boolean> {
  const res = await stats.time(client, 'POST /api/login', 'POST', '/api/login', { idNumber, password });
  client.loggedIn = res.status === 200;
  return client.loggedIn;
}

/** One page a member opens: 我的, 团费 or 活动 (and now and then an answer to an invitation). */
export async function memberPage(stats: WebStats, client: WebClient, pick: number, activityId: number): Promise<void> {
  if (pick < 0.35) await stats.time(client, 'GET /api/me', 'GET', '/api/me');
  else if (pick < 0.65) await stats.time(client, 'GET /api/me/fees', 'GET', '/api/me/fees');
  else if (pick < 0.9) await stats.time(client, 'GET /api/me/activities', 'GET', '/api/me/activities');
  else
    await stats.time(client, 'POST /api/activities/:id/response', 'POST', `/api/activities/${activityId}/response`, {
      answer: pick < 0.95 ? 'registered' : 'declined',
    });
}

/** One page an admin opens: the tree with entry progress, or a page of a node's people. */
export async function adminPage(stats: WebStats, client: WebClient, pick: number, orgId: number): Promise<void> {
  if (pick < 0.5) await stats.time(client, 'GET /api/orgs/tree', 'GET', '/api/orgs/tree');
  else await stats.time(client, 'GET /api/orgs/:id/people', 'GET', `/api/orgs/${orgId}/people?page=${Math.floor(pick * 10) % 3}`);
}
