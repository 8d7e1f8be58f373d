import { formatDailyWindow, inDailyWindow, parseDailyWindow } from '../../server/lib/daily-window';

/** An instant at a Beijing wall-clock time (UTC+8). */
const beijing = (hhmm: string) => new Date(`2026-12-05T${hhmm}:00+08:00`);

describe('daily window (a local time window that comes back every day)', () => {
  it('reads 22-8 and 22:30-7:45, across midnight, in its time zone', () => {
    const night = parseDailyWindow('22-8', 'Asia/Shanghai', 'W')!;
    expect(night).toEqual({ startMin: 22 * 60, endMin: 8 * 60, timeZone: 'Asia/Shanghai' });
    expect(['21:59', '22:00', '07:59', '08:00'].map((t) => inDailyWindow(night, beijing(t)))).toEqual([false, true, true, false]);
    const minutes = parseDailyWindow(' 22:30-7:45 ', 'UTC', 'W')!;
    expect(formatDailyWindow(minutes)).toBe('22:30-07:45');
    expect(inDailyWindow(minutes, new Date('2026-12-05T23:00:00Z'))).toBe(true);
  });

  it('off, none and empty are no window; anything else unreadable is named in the error', () => {
    for (const off of ['off', 'NONE', '', '  ']) expect(parseDailyWindow(off, 'UTC', 'W')).toBeNull();
    for (const bad of ['25-8', '8-8', '22', '22-8-9', 'night', '22:60-8']) {
      expect(() => parseDailyWindow(bad, 'UTC', 'QUIET_HOURS')).toThrow(/^QUIET_HOURS must be a local time window such as 22-8/);
    }
  });
});
