/** Money in fen and times in Beijing time, as the pages show them. */

export const yuan = (fen: number | null | undefined): string => (fen === null || fen === undefined ? '未知' : `${(fen / 100).toFixed(2)} 元`);

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const time = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
const day = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' });

export const whenText = (iso: string): string => dateTime.format(new Date(iso));
export const timeText = (iso: string): string => time.format(new Date(iso));
export const dayText = (iso: string): string => day.format(new Date(iso));

/** `2026-03` → `3月`. */
export const monthLabel = (month: string): string => `${Number(month.slice(5, 7))}月`;

/** A token in a scanned sign-in QR code (`https://t.me/<bot>?start=signin_<token>`), or null. */
export function signinTokenOf(text: string): string | null {
  return /signin_([A-Za-z0-9_-]{8,32})/.exec(text)?.[1] ?? null;
}
