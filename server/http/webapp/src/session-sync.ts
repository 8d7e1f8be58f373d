/**
 * Keeps the page on the session it is shown under. An ended session (401) goes to the login,
 * which says why and comes back here after it; a session changed in another tab (logout, a
 * login as someone else: the cookie is the browser's) is read again and the page drawn anew,
 * so no page shows one person's name over another's data.
 */
import type { Router } from 'vue-router';
import { api, onLoggedOut, onSessionSwitched } from './api';
import { loadSession, session, SESSION_SIGNAL_KEY } from './session';
import { inTelegram } from './telegram';

/** The login page's `reason` for a session that ended under the page. */
export const EXPIRED_REASON = 'expired';

/** Where to come back after the login: the page's address without its hash (Telegram's launch data rides there). */
export const returnPath = (fullPath: string): string => fullPath.replace(/#.*$/, '');

export function syncSession(router: Router): void {
  onLoggedOut(() => {
    // A session never had (the first read at start) is the router's business, not an expiry.
    if (!session.me) return;
    session.me = null;
    // Inside Telegram the initData opens a new session on the way (the router reads it again).
    if (inTelegram()) session.loaded = false;
    const here = router.currentRoute.value;
    if (here.meta.public) return;
    const next = returnPath(here.fullPath);
    void router.push({ name: 'login', query: { reason: EXPIRED_REASON, ...(next === '/' ? {} : { next }) } });
  });

  let rereading: Promise<void> | null = null;
  /** Reads the session again; `redraw`: an answer was dropped, so the page is drawn anew even for the same person. */
  const reread = (redraw: boolean) => {
    rereading ??= (async () => {
      const before = session.me?.person.id ?? null;
      await loadSession().catch(() => undefined);
      const now = session.me?.person.id ?? null;
      // No session now: the 401 on the way took the page to the login already.
      if (now === null) return;
      if (now === before) {
        // The same person in a new session (logged in again elsewhere): only the dropped answer is missing.
        if (redraw) session.epoch++;
        return;
      }
      // Checked again for the new person (an admin's page, say); a login page sends on to where it was going.
      const here = router.currentRoute.value;
      await router.replace({ path: here.path, query: here.query, force: true });
    })().finally(() => (rereading = null));
  };
  onSessionSwitched(() => reread(true));

  // Back to this tab, or a login or logout in another: one call says whether the session is still the page's.
  const check = () => {
    if (document.visibilityState !== 'visible' || !session.loaded) return;
    if (session.me) void api.get('/api/me').catch(() => undefined);
    else reread(false);
  };
  document.addEventListener('visibilitychange', check);
  window.addEventListener('focus', check);
  window.addEventListener('storage', (e) => {
    if (e.key === SESSION_SIGNAL_KEY) check();
  });
}
