/**
 * The JSON API under /api/ (server/http/api): cookies carry the session, state changes carry
 * the session's CSRF token, and every error comes as `{ error: { code, message } }`.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API's longest search text (org-routes, activity-routes): the boxes stop there. */
export const SEARCH_MAX_CHARS = 40;

let csrfToken: string | null = null;
/** Called on 401: the page goes to the login (or the Telegram session is opened again). */
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onLoggedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

/** The session the page's data belongs to (server/http/api/accounts/session.ts sessionTag); null: not known yet. */
let expectedSession: string | null = null;
let onSwitched: (() => void) | null = null;
const SESSION_TAG_HEADER = 'x-session-tag';

/** Called when an answer comes from another session than the page's (the account changed in another tab). */
export function onSessionSwitched(handler: () => void): void {
  onSwitched = handler;
}

/** Reads the session like `api.get`, and takes the session that answered as the page's own. */
export function getAsSession<T>(path: string): Promise<T> {
  return call<T>('GET', path, undefined, true);
}

/** Forgets the page's session (logging in or out here): the next session read sets it. */
export function forgetSession(): void {
  expectedSession = null;
}

/** Answers of the HTTP server itself (no JSON) to a request too large: an address or body over its limits. */
const TOO_LONG = new Set([413, 414, 431]);

async function call<T>(method: string, path: string, body?: unknown, adopt = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试。');
  }
  const tag = res.headers.get(SESSION_TAG_HEADER);
  if (adopt) expectedSession = tag;
  else if (expectedSession !== null && tag !== null && tag !== expectedSession) {
    // Another person's answer under this page's name: dropped, and the session is read again.
    expectedSession = null;
    onSwitched?.();
    throw new ApiError(409, 'SESSION_SWITCHED', '登录的账号已变更，正在刷新…');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const error = data?.error ?? {
      code: 'HTTP_' + res.status,
      message: TOO_LONG.has(res.status) ? '输入的内容太长，请缩短后重试。' : `服务暂时不可用（${res.status}），请稍后再试。`,
    };
    if (res.status === 401 && error.code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw new ApiError(res.status, error.code, error.message);
  }
  return data as T;
}

/** `{ a: 1, b: undefined }` → `?a=1`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

/** What to show for a failed call: the server's Chinese message, or the error as it came. */
export const errorText = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));
