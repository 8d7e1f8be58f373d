/**
 * Inside Telegram (a Mini App): the signed initData Telegram put in the page's address, and the
 * few client methods the pages use (ready, expand, the QR scanner, the back button).
 * Outside Telegram every call here is a no-op and `initData()` is null.
 */
import { isTMA, on, postEvent, retrieveRawInitData } from '@telegram-apps/bridge';

let raw: string | null | undefined;

/** The raw initData string to exchange for a session, or null in a plain browser. */
export function initData(): string | null {
  if (raw === undefined) {
    try {
      raw = isTMA() ? (retrieveRawInitData() ?? null) : null;
    } catch {
      raw = null;
    }
    // A client whose launch parameters the bridge's schema refuses (an older one, say) still
    // sent its initData: the server is the one that checks it.
    raw ??= new URLSearchParams(window.location.hash.slice(1)).get('tgWebAppData');
  }
  return raw;
}

export const inTelegram = (): boolean => initData() !== null;

/** A Mini App method (the bridge checks the name and its parameters). */
function send(event: string, params?: unknown): void {
  if (!inTelegram()) return;
  try {
    (postEvent as (e: string, p?: unknown) => void)(event, params);
  } catch {
    // An old client without the method: the page works without it.
  }
}

/** Tells Telegram the page is drawn, and asks for the full height. */
export function ready(): void {
  send('web_app_ready');
  send('web_app_expand');
}

/** Telegram's QR scanner: resolves with the text of the first code read, or null when closed. */
export function scanQr(prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    const offText = on('qr_text_received', (payload: { data?: string }) => {
      done(payload.data ?? null);
      send('web_app_close_scan_qr_popup');
    });
    const offClosed = on('scan_qr_popup_closed', () => done(null));
    function done(text: string | null) {
      offText();
      offClosed();
      resolve(text);
    }
    send('web_app_open_scan_qr_popup', { text: prompt });
  });
}

/** Shows Telegram's back button while `visible`; its press calls `onBack`. */
export function backButton(visible: boolean, onBack: () => void): () => void {
  send('web_app_setup_back_button', { is_visible: visible });
  if (!visible || !inTelegram()) return () => undefined;
  return on('back_button_pressed', onBack);
}

/** Height of the page's own nav bar (Telegram draws its own title bar instead): sticky bars sit below it. */
export const NAV_BAR_HEIGHT = 46;
export const navOffset = (): number => (inTelegram() ? 0 : NAV_BAR_HEIGHT);

/** Telegram downloads the file itself (Bot API 8.0), without the page's cookie: `url` carries a ticket. */
export function downloadFile(url: string, fileName: string): void {
  send('web_app_request_file_download', { url, file_name: fileName });
}
