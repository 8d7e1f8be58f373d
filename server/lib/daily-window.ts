/**
 * A window of local time that comes back every day (`22-8`, `22:30-7:45`), in one time zone:
 * read from text, tested against an instant, shown. What a window is for (quiet hours) is the
 * caller's; this file only knows clocks.
 */
export interface DailyWindow {
  /** Minutes after local midnight. A window past midnight has start > end (22:00-08:00). */
  startMin: number;
  endMin: number;
  timeZone: string;
}

const TIME = /^(\d{1,2})(?::(\d{2}))?$/;

function minutesOf(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  return h <= 24 && min < 60 && h * 60 + min <= 24 * 60 ? (h * 60 + min) % (24 * 60) : null;
}

/**
 * `22-8`, `22:30-7:45` or `off` (also `none`, empty): null when off. Throws a message that
 * starts with `name` and gives the expected form when the text cannot be read.
 */
export function parseDailyWindow(text: string, timeZone: string, name: string): DailyWindow | null {
  const value = text.trim().toLowerCase();
  if (!value || value === 'off' || value === 'none') return null;
  const [a, b, ...rest] = value.split('-');
  const startMin = a === undefined ? null : minutesOf(a);
  const endMin = b === undefined ? null : minutesOf(b);
  if (rest.length || startMin === null || endMin === null || startMin === endMin) {
    throw new Error(`${name} must be a local time window such as 22-8 or 22:30-7:30 (start-end, 24-hour clock), or off`);
  }
  return { startMin, endMin, timeZone };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight of `at` in `timeZone`. */
function localMinutes(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const parts = f.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** True when `at` falls in the window: from its start, up to but not including its end. */
export function inDailyWindow(w: DailyWindow, at: Date): boolean {
  const now = localMinutes(at, w.timeZone);
  return w.startMin < w.endMin ? now >= w.startMin && now < w.endMin : now >= w.startMin || now < w.endMin;
}

/** `22:00-08:00`. */
export function formatDailyWindow(w: DailyWindow): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(w.startMin)}-${hhmm(w.endMin)}`;
}
