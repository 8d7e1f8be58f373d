/**
 * Quiet hours (免打扰时段): pushed messages (announcements, reminders) are not delivered
 * between `start` and `end` local time; they wait until the quiet hours end. Replies and
 * direct notices (an application's outcome) are never held.
 */
export interface QuietHours {
  /** Minutes after local midnight. A window past midnight has start > end (22:00-08:00). */
  startMin: number;
  endMin: number;
  timeZone: string;
}

/** The default window: 22:00 to 08:00. */
export const DEFAULT_QUIET_HOURS = '22-8';

const TIME = /^(\d{1,2})(?::(\d{2}))?$/;

function minutesOf(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  return h <= 24 && min < 60 && h * 60 + min <= 24 * 60 ? (h * 60 + min) % (24 * 60) : null;
}

/**
 * `22-8`, `22:30-7:45` or `off` (also `none`, empty): null when off; throws a message naming
 * the expected form when the text cannot be read.
 */
export function parseQuietHours(text: string, timeZone: string): QuietHours | null {
  const value = text.trim().toLowerCase();
  if (!value || value === 'off' || value === 'none') return null;
  const [a, b, ...rest] = value.split('-');
  const startMin = a === undefined ? null : minutesOf(a);
  const endMin = b === undefined ? null : minutesOf(b);
  if (rest.length || startMin === null || endMin === null || startMin === endMin) {
    throw new Error('QUIET_HOURS must be a local time window such as 22-8 or 22:30-7:30 (start-end, 24-hour clock), or off');
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

/** True while pushed messages wait. */
export function isQuiet(q: QuietHours | null | undefined, at: Date): boolean {
  if (!q) return false;
  const now = localMinutes(at, q.timeZone);
  return q.startMin < q.endMin ? now >= q.startMin && now < q.endMin : now >= q.startMin || now < q.endMin;
}

/** `22:00-08:00`, for messages and the README. */
export function describeQuietHours(q: QuietHours): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(q.startMin)}-${hhmm(q.endMin)}`;
}
