import { formatChinaDateTime, parseChinaDateTime, parseEnd } from '../../server/lib/china-datetime';

// Monday 2026-11-30, 10:00 in Beijing.
const NOW = new Date('2026-11-30T02:00:00Z');
const beijing = (iso: string) => new Date(`${iso}+08:00`);
const at = (text: string) => {
  const r = parseChinaDateTime(text, NOW);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.value;
};

describe('times typed the way people type them (R18, Asia/Shanghai)', () => {
  it.each([
    ['2026-12-05 14:00', '2026-12-05T14:00'],
    ['2026/12/5 14:00', '2026-12-05T14:00'],
    ['2026年12月5日 14:00', '2026-12-05T14:00'],
    ['2026年12月5日下午2点半', '2026-12-05T14:30'],
    ['12月5日 14:00', '2026-12-05T14:00'],
    ['12月5日14：00', '2026-12-05T14:00'],
    ['１２月５日 １４：００', '2026-12-05T14:00'],
    ['12-05 9:05', '2026-12-05T09:05'],
    ['明天下午3点', '2026-12-01T15:00'],
    ['今天晚上7点', '2026-11-30T19:00'],
    ['后天上午九点', '2026-12-02T09:00'],
    ['明天 下午三点十五分', '2026-12-01T15:15'],
    ['周五 14:00', '2026-12-04T14:00'],
    ['下周三 9:00', '2026-12-09T09:00'],
    ['星期一上午8点', '2026-11-30T08:00'],
    ['1月10日 10:00', '2027-01-10T10:00'], // a January day typed in November: the coming one
    ['11月20日 10:00', '2026-11-20T10:00'], // ten days ago: this year's (a record after the event)
  ])('%s', (text, expected) => {
    expect(at(text).toISOString()).toBe(beijing(expected).toISOString());
  });

  it('refuses what it cannot read, saying how to write it, and a day that does not exist', () => {
    for (const text of ['下午', '12月5日', 'abc', '2026-02-30 10:00', '25点']) {
      const r = parseChinaDateTime(text, NOW);
      expect({ text, ok: r.ok }).toEqual({ text, ok: false });
    }
    const bad = parseChinaDateTime('2026-02-30 10:00', NOW);
    expect(!bad.ok && bad.message).toContain('不存在');
  });

  it('an end as a time that day, a length, or a whole day and time; never before the start', () => {
    const start = beijing('2026-12-05T14:00');
    const end = (text: string) => {
      const r = parseEnd(text, start);
      return r.ok ? r.value.toISOString() : r.message;
    };
    expect(end('16:30')).toBe(beijing('2026-12-05T16:30').toISOString());
    expect(end('下午4点半')).toBe(beijing('2026-12-05T16:30').toISOString());
    expect(end('2小时')).toBe(beijing('2026-12-05T16:00').toISOString());
    expect(end('90分钟')).toBe(beijing('2026-12-05T15:30').toISOString());
    expect(end('12月6日 12:00')).toBe(beijing('2026-12-06T12:00').toISOString());
    expect(end('13:00')).toContain('晚于开始时间');
  });

  it('shows a time in Beijing time with the weekday', () => {
    expect(formatChinaDateTime(beijing('2026-12-05T14:00'))).toBe('2026年12月5日（周六）14:00');
  });
});
