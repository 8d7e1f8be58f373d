/** Who is logged in: read from /api/me, opened from Telegram's initData inside a Mini App. */
import { reactive } from 'vue';
import { api, ApiError, setCsrfToken } from './api';
import { initData } from './telegram';
import type { LoginResult, Me } from './types';

export const session = reactive<{ me: Me | null; loaded: boolean; telegramError: string | null }>({ me: null, loaded: false, telegramError: null });

let loading: Promise<Me | null> | null = null;

/** Reads the session once (navigations at start share it); inside Telegram with none, opens one from initData first. */
export function loadSession(): Promise<Me | null> {
  loading ??= readSession().finally(() => (loading = null));
  return loading;
}

async function readSession(): Promise<Me | null> {
  try {
    session.me = await api.get<Me>('/api/me');
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    session.me = null;
    const data = initData();
    if (data) {
      try {
        await api.post<LoginResult>('/api/telegram/session', { initData: data });
        session.me = await api.get<Me>('/api/me');
      } catch (e) {
        session.telegramError = e instanceof Error ? e.message : String(e);
      }
    }
  }
  setCsrfToken(session.me?.session.csrfToken ?? null);
  session.loaded = true;
  return session.me;
}

export async function login(idNumber: string, password: string): Promise<Me> {
  const result = await api.post<LoginResult>('/api/login', { idNumber, password });
  setCsrfToken(result.csrfToken);
  session.me = await api.get<Me>('/api/me');
  return session.me;
}

export async function logout(): Promise<void> {
  await api.post('/api/logout').catch(() => undefined);
  session.me = null;
  setCsrfToken(null);
}
