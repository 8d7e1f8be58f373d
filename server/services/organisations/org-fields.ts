/**
 * Values of the organisation fields completed in 完善组织信息 (R12, R15): the industry list
 * and the checks of names and the school institution code. Pure functions.
 */
import { UserError } from '../../errors';
import { normaliseIdInput } from '../../lib/id-number';

/** 行业类别 offered as buttons; anything else may be typed (其他). */
export const INDUSTRIES: readonly string[] = [
  '党政机关',
  '事业单位',
  '国有企业',
  '非公有制企业',
  '高等教育',
  '中等职业教育',
  '普通中学',
  '农村',
  '社区',
  '社会组织',
  '军队',
  '新兴领域',
];

/** 教育部学校(机构)标识码 school category codes (the first two of ten digits). */
const SCHOOL_CATEGORIES = new Set(['11', '21', '22', '31', '32', '33', '34', '35', '36', '37', '41', '42', '51', '91', '92', '93']);
/** Province-level area codes (digits 3-4). */
const SCHOOL_AREAS = new Set([
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
]);

const SCHOOL_CODE_HINT = '学校机构编号即教育部学校标识码，为 10 位数字（如 4164010749），请核对后重新输入';

/**
 * R15: the school institution code is the Ministry of Education's 10-digit school identifier:
 * 2-digit school category, 2-digit province, 6-digit serial.
 * @example parseSchoolCode(' 4164010749 ') // '4164010749'
 */
export function parseSchoolCode(raw: string): string {
  const code = normaliseIdInput(raw).replace(/[-‐－]/g, '');
  if (!/^\d{10}$/.test(code)) throw UserError.invalid('SCHOOL_CODE_INVALID', SCHOOL_CODE_HINT);
  if (!SCHOOL_CATEGORIES.has(code.slice(0, 2)))
    throw UserError.invalid('SCHOOL_CODE_INVALID', `前两位“${code.slice(0, 2)}”不是学校类别代码（如 41 普通高等学校、34 普通高中）。${SCHOOL_CODE_HINT}`);
  if (!SCHOOL_AREAS.has(code.slice(2, 4)))
    throw UserError.invalid('SCHOOL_CODE_INVALID', `第 3-4 位“${code.slice(2, 4)}”不是省级地区代码（如 64 宁夏）。${SCHOOL_CODE_HINT}`);
  return code;
}

/** Characters of names as organisations write them: Chinese, letters, digits, brackets of either width, a few marks. */
const NAME_TEXT = /^[\p{Script=Han}A-Za-z0-9\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A()（）【】[\]〔〕《》·・\-－—、 ]+$/u;

/** Spaces collapsed; null unless 1..max characters of {@link NAME_TEXT} with at least one Chinese character. */
function cleanName(raw: string, min: number, max: number): string | null {
  const name = raw.replace(/[\s\u3000]+/g, ' ').trim();
  const n = Array.from(name).length;
  return n >= min && n <= max && NAME_TEXT.test(name) && /\p{Script=Han}/u.test(name) ? name : null;
}

/** 组织全称: 2-100 characters. Brackets of either width are fine (R11; R5: they never fail anything). */
export function checkFullName(raw: string): string {
  const name = cleanName(raw, 2, 100);
  if (!name) throw UserError.invalid('ORG_NAME_INVALID', '组织全称应为 2-100 个字的中文名称（可含字母、数字和括号），如“共青团宁夏示范大学委员会”');
  return name;
}

/** 组织简称: 1-50 characters. */
export function checkShortName(raw: string): string {
  const name = cleanName(raw, 1, 50);
  if (!name) throw UserError.invalid('ORG_NAME_INVALID', '组织简称应为 1-50 个字的中文名称（可含字母、数字和括号），如“示范大学团委”');
  return name;
}

/** 行业类别: one of the list, or 1-50 characters typed. */
export function checkIndustry(raw: string): string {
  const industry = cleanName(raw, 1, 50);
  if (!industry) throw UserError.invalid('INDUSTRY_INVALID', '行业类别应为 1-50 个字的中文名称，请从按钮中选择或直接输入');
  return industry;
}
