import { loadConfig } from '../../../server/config';
import { describeQuietHours, isQuiet, parseQuietHours } from '../../../server/services/messaging/quiet-hours';

/** An instant at a Beijing wall-clock time (UTC+8). */
const beijing = (hhmm: string) => new Date(`2026-12-05T${hhmm}:00+08:00`);

describe('R21 quiet hours (免打扰时段)', () => {
  it('22-8 in Asia/Shanghai: quiet from 22:00 up to 08:00, across midnight', () => {
    const q = parseQuietHours('22-8', 'Asia/Shanghai')!;
    expect(describeQuietHours(q)).toBe('22:00-08:00');
    for (const t of ['22:00', '23:59', '00:00', '03:30', '07:59']) expect([t, isQuiet(q, beijing(t))]).toEqual([t, true]);
    for (const t of ['08:00', '12:00', '21:59']) expect([t, isQuiet(q, beijing(t))]).toEqual([t, false]);
  });

  it('minutes, a window within one day, and off', () => {
    const q = parseQuietHours('12:30-13:45', 'Asia/Shanghai')!;
    expect([isQuiet(q, beijing('12:29')), isQuiet(q, beijing('12:30')), isQuiet(q, beijing('13:44')), isQuiet(q, beijing('13:45'))]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(parseQuietHours('off', 'Asia/Shanghai')).toBeNull();
    expect(isQuiet(null, beijing('23:00'))).toBe(false);
  });

  it('configuration: 22-8 by default, QUIET_HOURS=off, and a wrong value named at start', () => {
    expect(describeQuietHours(loadConfig({}).quietHours!)).toBe('22:00-08:00');
    expect(loadConfig({ QUIET_HOURS: 'off' }).quietHours).toBeNull();
    expect(loadConfig({ TELEGRAM_RATE: '1000', OUTBOX_CONCURRENCY: '16' })).toMatchObject({ telegramRate: 1000, outboxConcurrency: 16 });
    expect(() => loadConfig({ QUIET_HOURS: '25-8' })).toThrow(/QUIET_HOURS/);
    expect(() => loadConfig({ QUIET_HOURS: 'night' })).toThrow(/QUIET_HOURS/);
    expect(() => loadConfig({ TELEGRAM_RATE: '0' })).toThrow(/TELEGRAM_RATE/);
  });
});
