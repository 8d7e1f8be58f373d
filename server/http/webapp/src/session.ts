/** Who is logged in: read from /api/me, opened from Telegram's initData inside a Mini App. */
import { reactive } from 'vue';
import { api, ApiError, forgetSession, getAsSession, setCsrfToken } from './api';
import { initData } from './telegram';
import type { LoginResult, Me } from './types';

export const session = reactive<{
  me: Me | null;
  loaded: boolean;
  telegramError: string | null;
  /** Counts the changes of account seen while the page is open: the page on show is drawn again for each. */
  epoch: number;
}>({ me: null, loaded: false, telegramError: null, epoch: 0 });

let loading: Promise<Me | null> | null = null;

/** Reads the session once (navigations at start share it); inside Telegram with none, opens one from initData first. */
export function loadSession(): Promise<Me | null> {
  loading ??= readSession().finally(() => (loading = null));
  return loading;
}

async function readSession(): Promise<Me | null> {
  const before = session.me?.person.id ?? null;
  try {
    session.me = await getAsSession<Me>('/api/me');
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    session.me = null;
    const data = initData();
    if (data) {
      try {
        await api.post<LoginResult>('/api/telegram/session', { initData: data });
        session.me = await getAsSession<Me>('/api/me');
      } catch (e) {
        session.telegramError = e instanceof Error ? e.message : String(e);
      }
    }
  }
  setCsrfToken(session.me?.session.csrfToken ?? null);
  // Another person now: in the same tick as the new name, so that no page shows it over the old data.
  if (session.loaded && session.me && session.me.person.id !== before) session.epoch++;
  session.loaded = true;
  return session.me;
}

/** Other tabs of this browser share the cookie: a login or logout here tells them (the `storage` event) to read it again. */
export const SESSION_SIGNAL_KEY = 'zhtj:session';
function signalOtherTabs(): void {
  try {
    localStorage.setItem(SESSION_SIGNAL_KEY, `${Date.now()}:${Math.random()}`);
  } catch {
    // No storage (a private window, say): the other tabs still notice at their next call or focus.
  }
}

export async function login(idNumber: string, password: string): Promise<Me> {
  forgetSession();
  const result = await api.post<LoginResult>('/api/login', { idNumber, password });
  setCsrfToken(result.csrfToken);
  session.me = await getAsSession<Me>('/api/me');
  signalOtherTabs();
  return session.me;
}

export async function logout(): Promise<void> {
  forgetSession();
  await api.post('/api/logout').catch(() => undefined);
  session.me = null;
  setCsrfToken(null);
  signalOtherTabs();
}
