/**
 * Field parsers of the member spreadsheet. Each takes a normalised cell and returns the value
 * to store or a Chinese message that says what to change. Pure: no database, no clock unless
 * defaulted.
 */
import { parseIdNumber } from '../../../../lib/id-number';
import { quoteInput } from '../../../../lib/quote';
import type { CellValue } from '../file/cells';
import { EDUCATION_LEVELS, ROLE_LABELS } from './columns';
import { ETHNIC_GROUPS } from './ethnicities';
import type { Parsed } from '../../../../lib/parsed';

export type { Parsed } from '../../../../lib/parsed';
export { parseDate, todayInChina, excelSerialToDay } from './dates';
export { normaliseOrgName } from '../../../organisations/org-names';
export { closestNames, createNameSuggester } from './suggest';

/** 学历 as stored: one of {@link EDUCATION_LEVELS}. */
export type Education = (typeof EDUCATION_LEVELS)[number];
/** 政治面貌 as stored: 团员 → member, 团干部 → cadre. */
export type RosterRole = keyof typeof ROLE_LABELS;
/** A valid ID number and what it tells (R1). */
export interface IdNumberInfo {
  value: string;
  birthDate: string;
  gender: 'M' | 'F';
}

/** Full-width ASCII to half-width and all whitespace (also full-width) removed. */
function compact(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000\u200b\ufeff]/g, '');
}

/** The message for an ID number that Excel turned into a number. */
export const ID_STORED_AS_NUMBER = '身份证号码被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”格式后重新填写';

/** A legacy 15-digit ID number held exactly by a number cell (Excel keeps 15 significant digits). */
const isFifteenDigits = (n: number): boolean => Number.isInteger(n) && n >= 1e14 && n < 1e15;

/**
 * The ID-number cell (R1). A number is refused (or its scientific-notation text, as in a CSV
 * saved by Excel): Excel keeps only 15 significant digits, so an 18-digit number has lost its
 * last ones. A 15-digit number is whole, and a legacy number is upgraded like text. Text goes
 * through parseIdNumber.
 */
export function parseIdCell(value: CellValue, today?: Date): Parsed<IdNumberInfo> {
  if (value === null) return { ok: false, message: '身份证号码未填写' };
  if (typeof value === 'number') {
    if (!isFifteenDigits(value)) return { ok: false, message: ID_STORED_AS_NUMBER };
    const r = parseIdNumber(String(value), today);
    return r.ok ? { ok: true, value: { value: r.value, birthDate: r.birthDate, gender: r.gender } } : r;
  }
  if (value instanceof Date) return { ok: false, message: '身份证号码被 Excel 识别成了日期，请把该列设为“文本”格式后重新填写' };
  const r = parseIdNumber(value, today);
  if (r.ok) return { ok: true, value: { value: r.value, birthDate: r.birthDate, gender: r.gender } };
  if (/^\d+(\.\d+)?E\+?\d+$/i.test(compact(value))) return { ok: false, message: ID_STORED_AS_NUMBER };
  return r;
}

/** Common Chinese characters only (all of them Han): a name that needs no clean-up. */
const PLAIN_NAME = /^[\u4e00-\u9fff]{2,20}$/;

/** 姓名: 2–20 Chinese characters, `·` between parts of a minority name; inner spaces dropped. */
export function parseName(value: CellValue): Parsed<string> {
  if (value === null) return { ok: false, message: '姓名未填写' };
  if (typeof value === 'string' && PLAIN_NAME.test(value)) return { ok: true, value }; // the usual case: nothing to clean up
  const name = compact(String(value)).replace(/[•・‧∙⋅.．]/g, '·');
  if (/^[\p{Script=Han}](?:[\p{Script=Han}·]{0,18})[\p{Script=Han}]$/u.test(name) && !name.includes('··')) {
    return { ok: true, value: name };
  }
  return { ok: false, message: `姓名“${quoteInput(String(value))}”不正确：应为 2–20 个汉字，少数民族姓名中间的点用“·”` };
}

const MOBILE = /^1[3-9]\d{9}$/;

/** 手机号码: an 11-digit mainland mobile number (1[3-9]…); spaces, dashes and +86 are dropped. */
export function parsePhone(value: CellValue): Parsed<string> {
  if (value === null) return { ok: false, message: '手机号码未填写' };
  if (typeof value === 'string' && MOBILE.test(value)) return { ok: true, value }; // the usual case: nothing to clean up
  let digits = typeof value === 'number' ? String(value) : compact(String(value)).replace(/[-()]/g, '');
  if (/^(\+?86)1\d{10}$/.test(digits)) digits = digits.replace(/^\+?86/, '');
  if (MOBILE.test(digits)) return { ok: true, value: digits };
  return { ok: false, message: `手机号码“${quoteInput(String(value))}”不正确：应为 11 位中国大陆手机号码，以 1 开头` };
}

const ROLE_ALIASES: Record<string, RosterRole> = { 团员: 'member', 共青团员: 'member', 团干部: 'cadre' };

/** 政治面貌: 团员 (also 共青团员) → member, 团干部 → cadre. */
export function parseRole(value: CellValue): Parsed<RosterRole> {
  if (value === null) return { ok: false, message: '政治面貌未填写，请填“团员”或“团干部”' };
  const role = ROLE_ALIASES[compact(String(value))];
  if (role) return { ok: true, value: role };
  return { ok: false, message: `政治面貌“${quoteInput(String(value))}”无法识别，请填“团员”或“团干部”` };
}

const EDUCATION_ALIASES: Record<string, Education> = {
  初中及以下: '初中',
  普通高中: '高中',
  中职: '中专',
  职高: '中专',
  技校: '中专',
  中等专科: '中专',
  专科: '大专',
  大学专科: '大专',
  高职: '大专',
  大学本科: '本科',
  本科生: '本科',
  硕士: '硕士研究生',
  硕士研究生在读: '硕士研究生',
  博士: '博士研究生',
  博士研究生在读: '博士研究生',
};

/** 学历: one of {@link EDUCATION_LEVELS}; common other names (大学本科, 硕士 …) are mapped onto them. */
export function parseEducation(value: CellValue): Parsed<Education> {
  const options = EDUCATION_LEVELS.join('、');
  if (value === null) return { ok: false, message: `学历未填写，请填以下之一：${options}` };
  const text = compact(String(value));
  const level = (EDUCATION_LEVELS as readonly string[]).includes(text) ? (text as Education) : EDUCATION_ALIASES[text];
  if (level) return { ok: true, value: level };
  return { ok: false, message: `学历“${quoteInput(String(value))}”无法识别，请填以下之一：${options}` };
}

const ETHNIC_SET = new Set(ETHNIC_GROUPS);

/** 民族: one of the 56 ethnic groups, with or without the 族 suffix; stored with it (汉 → 汉族). */
export function parseEthnicity(value: CellValue): Parsed<string> {
  if (value === null) return { ok: false, message: '民族未填写，如“汉族”' };
  const text = compact(String(value));
  const name = text.endsWith('族') ? text : `${text}族`;
  if (ETHNIC_SET.has(name)) return { ok: true, value: name };
  return { ok: false, message: `民族“${quoteInput(String(value))}”无法识别，请填 56 个民族之一的全称，如“汉族”“维吾尔族”` };
}

/** 职务 values that mean "none" (a member's row often says so). */
export const NO_POST_TITLES: ReadonlySet<string> = new Set(['无', '没有', '-', '—', '/', '团员']);

/** A 职务 that names a post (not empty, not one of {@link NO_POST_TITLES}). */
export const namesPost = (title: string | null): boolean => title !== null && !NO_POST_TITLES.has(title);

/** 职务 (optional): free text up to 50 characters, null when empty. */
export function parsePostTitle(value: CellValue): Parsed<string | null> {
  if (value === null) return { ok: true, value: null };
  const title = String(value)
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
  if (Array.from(title).length > 50) return { ok: false, message: '职务太长，请不超过 50 个字' };
  return { ok: true, value: title };
}
