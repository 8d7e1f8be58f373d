/**
 * Quiet hours (免打扰时段): pushed messages (announcements, reminders) are not delivered
 * between `start` and `end` local time; they wait until the quiet hours end. Replies and
 * direct notices (an application's outcome) are never held.
 */
import { formatDailyWindow, inDailyWindow, parseDailyWindow, type DailyWindow } from '../../lib/daily-window';

/** The window pushed messages wait out (configured by QUIET_HOURS, in TZ). */
export type QuietHours = DailyWindow;

/** `22-8`, `22:30-7:45` or `off` (also `none`, empty): null when off; throws when unreadable. */
export function parseQuietHours(text: string, timeZone: string): QuietHours | null {
  return parseDailyWindow(text, timeZone, 'Quiet hours');
}

/** True while pushed messages wait; never without quiet hours. */
export function isQuiet(q: QuietHours | null | undefined, at: Date): boolean {
  return !!q && inDailyWindow(q, at);
}

/** `22:00-08:00`, for messages and the README. */
export function describeQuietHours(q: QuietHours): string {
  return formatDailyWindow(q);
}
