/**
 * Calendar dates as people put them in spreadsheets: Excel date cells and serial numbers,
 * and the usual Chinese ways of writing a day. Result is always `YYYY-MM-DD`.
 */
import { quoteInput } from '../../../../lib/quote';
import { cellText, type CellValue } from '../file/cells';
import { rememberAnswers } from '../memo';
import type { Parsed } from '../../../../lib/parsed';

/** Options of {@link parseDate}. */
export interface DateOptions {
  /** Today as `YYYY-MM-DD`; defaults to today in China (UTC+8). */
  today?: string;
  /** Earliest acceptable day, `YYYY-MM-DD`; default 1900-01-01. */
  min?: string;
  /** What the date is, for messages (e.g. 入团时间); default 日期. */
  label?: string;
}

const MS_PER_DAY = 86_400_000;
/** Day 0 of Excel's 1900 date system once its fictitious 1900-02-29 is behind us (serial ≥ 61). */
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);
/** Serial of 9999-12-31, Excel's last day. */
const MAX_SERIAL = 2_958_465;

const FORMAT_HINT = '请写成 2016-09-01 这样的日期';

/** Today in China as `YYYY-MM-DD`. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` for a real calendar day, or undefined (2019-02-29 is not one). */
export function formatDay(y: number, m: number, d: number): string | undefined {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return undefined;
  if (y < 1000 || y > 9999) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** The day an Excel serial number (1900 system) stands for; the time of day is dropped. */
export function excelSerialToDay(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 61 || serial > MAX_SERIAL) return undefined;
  return new Date(EXCEL_EPOCH_UTC + Math.floor(serial) * MS_PER_DAY).toISOString().slice(0, 10);
}

function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const SEPARATED = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

type DayOrProblem = string | 'not-a-day' | 'month-only' | 'bad-format';

function dayFromText(raw: string): DayOrProblem {
  // A date exported to text may carry a time of day: `2016-09-01 00:00:00`, `2016-09-01T00:00:00Z`.
  const text = toHalfWidth(raw)
    .replace(/[\sT]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/, '')
    .replace(/[\s\u3000]/g, '');
  const m = SEPARATED.exec(text) ?? COMPACT.exec(text);
  if (m) return formatDay(Number(m[1]), Number(m[2]), Number(m[3])) ?? 'not-a-day';
  if (/^\d{5}(\.\d+)?$/.test(text)) return excelSerialToDay(Number(text)) ?? 'bad-format';
  if (/^\d{4}[-/.年]\d{1,2}月?$/.test(text) || /^\d{6}$/.test(text)) return 'month-only';
  return 'bad-format';
}

/**
 * Parses a date cell: a Date from an Excel date cell, an Excel serial number, or text such as
 * `2016-09-01`, `2016/9/1`, `2016.9.1`, `2016年9月1日`, `20160901`. Only real days between
 * `min` and today are accepted.
 * @example parseDate('2016年9月1日') // { ok: true, value: '2016-09-01' }
 */
export function parseDate(value: CellValue, opts: DateOptions = {}): Parsed<string> {
  const label = opts.label ?? '日期';
  if (value === null) return { ok: false, message: `${label}未填写` };
  let day: DayOrProblem;
  if (value instanceof Date) {
    day = dateCellDay(value);
  } else if (typeof value === 'number') {
    day = excelSerialToDay(value) ?? 'bad-format';
  } else {
    day = dayFromText(value);
  }
  if (day === 'bad-format') return { ok: false, message: `${shown(label, value)}不是可识别的日期，${FORMAT_HINT}` };
  if (day === 'month-only') return { ok: false, message: `${shown(label, value)}只有年月，请写到具体哪一天，如 2016-09-01` };
  if (day === 'not-a-day') return { ok: false, message: `${shown(label, value)}不是真实存在的日期，请检查月份和日` };
  const today = opts.today ?? todayInChina();
  if (day > today) return { ok: false, message: `${label} ${day} 晚于今天，请检查` };
  const min = opts.min ?? '1900-01-01';
  if (day < min) return { ok: false, message: `${label} ${day} 过早，请检查` };
  return { ok: true, value: day };
}

/** The day of a date cell: exceljs gives UTC midnight of the day shown in Excel (a roster repeats a few thousand days). */
const dateCellDay = rememberAnswers(
  (value: Date): DayOrProblem => (Number.isNaN(value.getTime()) ? 'bad-format' : value.toISOString().slice(0, 10)),
  (value) => value.getTime(),
  50_000,
);

/** The cell as quoted in a message: 入团时间“2016.13.1”. */
function shown(label: string, value: CellValue): string {
  const text = value instanceof Date && Number.isNaN(value.getTime()) ? '无效日期' : cellText(value);
  return `${label}“${quoteInput(text)}”`;
}
