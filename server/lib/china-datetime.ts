/**
 * Dates and times as people type them in chat, in Beijing time (UTC+8, no daylight saving):
 * `2026-12-05 14:00`, `12月5日 14:00`, `12月5日下午2点半`, `明天下午3点`, `周五 9:00`.
 */
import type { Parsed } from './parsed';
import { quoteInput } from './quote';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA = 8 * HOUR;
const WEEKDAYS = '日一二三四五六天';
const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** `十二` → 12, `二十五` → 25, `3` → 3: numbers as people write them in times. */
function number(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === '十') return 10;
  const m = /^([一二两三四五六七八九]?)十([一二三四五六七八九]?)$/.exec(text);
  if (m) return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[2] ? CN_DIGITS[m[2]] : 0);
  return text.length === 1 && text in CN_DIGITS ? CN_DIGITS[text] : NaN;
}

/** Full-width digits and punctuation to half-width, spaces squeezed. */
function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

/** The Beijing calendar day of an instant: `{ y, m, d }` and the weekday (0 = Sunday). */
function chinaDay(at: Date): { y: number; m: number; d: number; weekday: number } {
  const c = new Date(at.getTime() + CHINA);
  return { y: c.getUTCFullYear(), m: c.getUTCMonth() + 1, d: c.getUTCDate(), weekday: c.getUTCDay() };
}

/** The instant of a Beijing wall-clock time, or null when the day does not exist. */
function instant(y: number, m: number, d: number, h: number, min: number): Date | null {
  const utc = Date.UTC(y, m - 1, d, h, min);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - CHINA);
}

const NUM = '(\\d{1,2}|[零〇一二两三四五六七八九十]{1,3})';
const TIME = new RegExp(
  `(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?\\s*${NUM}\\s*(?:[:：]\\s*(\\d{2})|点\\s*(?:(半)|${NUM}\\s*分?)?|时\\s*(?:${NUM}\\s*分)?)\\s*$`,
);

/** The time of day at the end of `text`: hours and minutes, and what is left before it. */
function timeOfDay(text: string): { h: number; min: number; rest: string } | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const [whole, period, hRaw, colonMin, half, pointMin, hourMin] = m;
  let h = number(hRaw);
  const min = colonMin ? Number(colonMin) : half ? 30 : pointMin ? number(pointMin) : hourMin ? number(hourMin) : 0;
  if (Number.isNaN(h) || Number.isNaN(min) || h > 24 || min > 59) return null;
  if ((period === '下午' || period === '傍晚' || period === '晚上') && h < 12) h += 12;
  if (period === '中午' && h < 6) h += 12;
  if (h === 24) h = 0;
  if (h > 23) return null;
  return { h, min, rest: text.slice(0, text.length - whole.length).trim() };
}

/** The day `text` names (relative to `today`), or null. */
function dayOf(text: string, now: Date): { y: number; m: number; d: number } | null {
  const today = chinaDay(now);
  const shift = (days: number) => chinaDay(new Date(now.getTime() + days * DAY));
  const rel = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 } as Record<string, number>;
  if (text === '') return today;
  if (text in rel) return shift(rel[text]);
  const week = /^(下下|下)?(?:周|星期|礼拜)([日一二三四五六天])$/.exec(text);
  if (week) {
    const target = WEEKDAYS.indexOf(week[2]) % 7; // 0 = Sunday
    if (!week[1]) return shift((target - today.weekday + 7) % 7); // the coming one (today included)
    // 下周五: the Friday of next week, weeks starting on Monday.
    const fromMonday = (weekday: number) => (weekday + 6) % 7;
    return shift((week[1] === '下' ? 7 : 14) + fromMonday(target) - fromMonday(today.weekday));
  }
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/.exec(text);
  if (m) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/.exec(text);
  if (m) {
    const month = Number(m[1]);
    const day = Number(m[2]);
    // The coming one: a day more than a month gone is next year's.
    const thisYear = instant(today.y, month, day, 0, 0);
    const y = thisYear && now.getTime() - thisYear.getTime() > 31 * DAY ? today.y + 1 : today.y;
    return { y, m: month, d: day };
  }
  return null;
}

/**
 * A day and time typed by a person, in Beijing time. Returns the instant, or a message that
 * says what to type.
 * @example parseChinaDateTime('明天下午3点', now) // tomorrow 15:00 Beijing time
 */
export function parseChinaDateTime(raw: string, now: Date): Parsed<Date> {
  const text = normalise(raw);
  const hint = '请写成“2026-12-05 14:00”“12月5日 14:00”或“明天下午3点”这样';
  const time = timeOfDay(text);
  if (!time) return { ok: false, message: `没有看懂“${quoteInput(raw)}”中的时间（几点几分）。${hint}` };
  const day = dayOf(time.rest.replace(/[,，]$/, '').trim(), now);
  if (!day) return { ok: false, message: `没有看懂“${quoteInput(raw)}”中的日期。${hint}` };
  const at = instant(day.y, day.m, day.d, time.h, time.min);
  if (!at) return { ok: false, message: `${day.y}年${day.m}月${day.d}日 这一天不存在，请检查后重新输入` };
  return { ok: true, value: at };
}

/**
 * An end typed after a start: a time on the same day (`16:30`, `下午4点半`), a whole day and
 * time, or a length (`2小时`, `90分钟`, `1.5小时`). Must be after the start.
 */
export function parseEnd(raw: string, start: Date): Parsed<Date> {
  const text = normalise(raw);
  const length = /^(\d+(?:\.\d+)?)\s*(小时|个小时|分钟)$/.exec(text);
  let end: Date | null = null;
  if (length) {
    const n = Number(length[1]);
    end = new Date(start.getTime() + (length[2] === '分钟' ? n * 60_000 : n * HOUR));
  } else {
    const time = timeOfDay(text);
    if (time && time.rest === '') {
      const d = chinaDay(start);
      end = instant(d.y, d.m, d.d, time.h, time.min);
    } else {
      const full = parseChinaDateTime(raw, start);
      if (!full.ok) return { ok: false, message: `没有看懂结束时间“${quoteInput(raw)}”。请写结束的时刻（如“16:30”“下午4点半”）或时长（如“2小时”）` };
      end = full.value;
    }
  }
  if (!end || end.getTime() <= start.getTime()) return { ok: false, message: '结束时间应晚于开始时间，请重新输入' };
  if (end.getTime() - start.getTime() > 7 * DAY) return { ok: false, message: '活动不能超过 7 天，请检查结束时间' };
  return { ok: true, value: end };
}

/** `12月5日（周六）14:00`, in Beijing time. */
export function formatChinaDateTime(at: Date): string {
  const c = new Date(at.getTime() + CHINA);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${c.getUTCFullYear()}年${c.getUTCMonth() + 1}月${c.getUTCDate()}日（周${WEEKDAYS[c.getUTCDay()]}）${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}`;
}

/** `14:00` in Beijing time. */
export function formatChinaClock(at: Date): string {
  return formatChinaDateTime(at).slice(-5);
}

/** `YYYY-MM-DD HH:mm` in Beijing time, whatever the server's zone: for lists and sheets. */
export function formatChinaTime(at: Date): string {
  return new Date(at.getTime() + CHINA).toISOString().slice(0, 16).replace('T', ' ');
}
