/**
 * Resident ID numbers (身份证号码, R1): normalisation, GB 11643-1999 validation,
 * 15→18 digit upgrade and masking. Pure functions, no I/O.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const CLEAN_18 = /^\d{17}[\dX]$/;

/** Province-level prefixes of GB/T 2260 region codes (the first two digits). */
const PROVINCE_PREFIXES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type IdNumberResult = { ok: true; value: string; birthDate: string; gender: 'M' | 'F' } | { ok: false; message: string };

/** Check digit for the first 17 digits (more characters are ignored). */
export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Full-width digits/letters to ASCII, all whitespace removed, `x` upper-cased. */
export function normaliseIdInput(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]/g, '')
    .toUpperCase();
}

/** Days in a month of the Gregorian calendar. */
function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses what a person typed as an ID number. Accepts 18-digit numbers (last may be X/x)
 * and legacy 15-digit numbers (upgraded to 18). Messages are for the user, in Chinese.
 */
export function parseIdNumber(raw: string, today: Date = new Date()): IdNumberResult {
  let id = raw;
  if (!CLEAN_18.test(id)) {
    // Only what is not already 18 clean characters (the usual case) needs cleaning up.
    id = normaliseIdInput(raw ?? '');
    if (!id) return { ok: false, message: '请输入身份证号码（18 位）' };
    if (/^\d{15}$/.test(id)) {
      const first17 = id.slice(0, 6) + '19' + id.slice(6);
      id = first17 + checkDigit(first17);
    } else if (!CLEAN_18.test(id)) {
      return { ok: false, message: '身份证号码应为 18 位（最后一位可以是 X），请检查后重新输入' };
    }
  }
  if (!PROVINCE_PREFIXES.has(id.slice(0, 2))) {
    return { ok: false, message: '身份证号码前 6 位地区码不正确，请检查后重新输入' };
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || Date.UTC(y, m - 1, d) > today.getTime()) {
    return { ok: false, message: '身份证号码中的出生日期不正确，请检查后重新输入' };
  }
  if (checkDigit(id) !== id[17]) {
    return { ok: false, message: '身份证号码校验位不正确（可能有数字输错），请核对后重新输入' };
  }
  return {
    ok: true,
    value: id,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'M' : 'F',
  };
}

/** Masked for display: first 6 and last 4 characters, the rest as `*`. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** The R3 initial password: the last 8 characters of the ID number. */
export function initialPasswordOf(id: string): string {
  return id.slice(-8);
}

/** Whole years between a birth date (YYYY-MM-DD) and a day. */
export function ageOn(birthDate: string, on: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = on.getFullYear() - y;
  if (on.getMonth() + 1 < m || (on.getMonth() + 1 === m && on.getDate() < d)) age--;
  return age;
}
