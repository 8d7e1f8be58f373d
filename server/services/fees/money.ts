/**
 * Money as people type it and as the system shows it. Everything is integer fen (分); yuan
 * typed as text are read digit by digit, never through floating point.
 */
import type { Parsed } from '../../lib/parsed';

/** Full-width digits and punctuation (as Chinese input methods type them) to ASCII. */
export function halfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Most one amount may be (10,000 元): a larger one is nearly always a slip of the keyboard. */
export const MAX_AMOUNT_FEN = 1_000_000;

/**
 * Yuan as typed (`0.2`, `3元`, `1,999.50`, `￥20`, `2角`, full-width digits) → fen. At most two
 * decimals; a number from a spreadsheet cell is read through its shortest text form.
 * @example parseYuan('0.2') // { ok: true, value: 20 }
 */
export function parseYuan(raw: string | number, label = '金额'): Parsed<number> {
  const text = halfWidth(String(raw))
    .replace(/[\s,，]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/(元|块|圆)$/, '');
  const jiao = /^(\d{1,3})角$/.exec(text);
  if (jiao) return { ok: true, value: Number(jiao[1]) * 10 };
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(text);
  if (!m) {
    if (/^-/.test(text)) return { ok: false, message: `${label}不能为负数（冲正请用“冲正”功能）` };
    if (/^\d+\.\d{3,}$/.test(text)) return { ok: false, message: `${label}最多保留两位小数（分）` };
    return { ok: false, message: `${label}应为数字（元），如 0.2、3 或 12.50` };
  }
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return { ok: true, value: fen };
}

/** Fen as yuan for reading: 20 → `0.2`, 300 → `3`, 125 → `1.25`, -300 → `-3`. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = abs % 100;
  if (cents === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** `0.2 元`. */
export const yuanText = (fen: number): string => `${yuan(fen)} 元`;

/** Fen as a spreadsheet number of yuan with two decimals (exact for display; sums are done in fen). */
export const yuanNumber = (fen: number): number => fen / 100;
