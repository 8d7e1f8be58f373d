/**
 * The columns of the member spreadsheet (R7 import): one definition used by the template,
 * the reader, the row validator and the error report.
 */
import { isRequiredPersonColumn } from '../../person-fields';
import type { ColumnKey } from './column-key';

export type { ColumnKey } from './column-key';

/** One column of the template: what the user sees and how it is checked. */
export interface ColumnDef {
  key: ColumnKey;
  /** Header as printed in the template, without the required marker. */
  header: string;
  required: boolean;
  /** What to fill in, for the 填写说明 sheet. */
  explanation: string;
  /** A valid example value, as text. */
  example: string;
  /** Other headers people commonly use for the same column. */
  aliases: string[];
}

/** 学历 values accepted by the import (the stored value is one of these). */
export const EDUCATION_LEVELS = ['初中', '高中', '中专', '大专', '本科', '硕士研究生', '博士研究生', '其他'] as const;

/** 政治面貌 values of the template. */
export const ROLE_LABELS = { member: '团员', cadre: '团干部' } as const;

/** Common 职务 of league cadres, for the explanation and the template. */
export const COMMON_POST_TITLES = ['书记', '副书记', '组织委员', '宣传委员', '文体委员', '委员'] as const;

/** Required: a person field R16 requires (person-fields.ts), or the branch the row is placed in (R11). */
const required = (key: ColumnKey): boolean => key === 'branchFullName' || isRequiredPersonColumn(key);

/** Every column, in template order. */
export const COLUMNS: readonly ColumnDef[] = [
  {
    key: 'name',
    header: '姓名',
    required: required('name'),
    explanation: '与身份证上的姓名一致，2–20 个汉字；少数民族姓名中间的点用“·”',
    example: '张晓明',
    aliases: ['团员姓名'],
  },
  {
    key: 'idNumber',
    header: '身份证号码',
    required: required('idNumber'),
    explanation: '18 位居民身份证号码，最后一位可以是 X；本列必须是“文本”格式，否则 Excel 会把号码变成数字并丢失后几位',
    example: '110105200506151236',
    aliases: ['身份证号', '公民身份号码', '身份证'],
  },
  {
    key: 'branchFullName',
    header: '所在团支部',
    required: required('branchFullName'),
    explanation: '团支部的组织全称（不是简称），须与系统中的全称一致；括号和空格的全角/半角不影响匹配',
    example: '共青团某某大学计算机学院2023级1班团支部',
    aliases: ['团支部', '所在支部', '所在团组织', '组织全称', '团支部全称'],
  },
  {
    key: 'role',
    header: '政治面貌',
    required: required('role'),
    explanation: '填“团员”或“团干部”',
    example: '团员',
    aliases: ['团员/团干部', '身份'],
  },
  {
    key: 'joinedAt',
    header: '入团时间',
    required: required('joinedAt'),
    explanation: '入团的日期，如 2019-05-04；也可写 2019/5/4、2019.5.4、2019年5月4日 或 20190504，不能晚于今天',
    example: '2019-05-04',
    aliases: ['入团日期', '入团年月'],
  },
  {
    key: 'phone',
    header: '手机号码',
    required: required('phone'),
    explanation: '11 位中国大陆手机号码，以 1 开头',
    example: '13800138000',
    aliases: ['手机号', '手机', '联系电话', '联系方式'],
  },
  {
    key: 'ethnicity',
    header: '民族',
    required: required('ethnicity'),
    explanation: '56 个民族之一，如“汉族”；可以不写“族”字',
    example: '汉族',
    aliases: [],
  },
  {
    key: 'education',
    header: '学历',
    required: required('education'),
    explanation: `填以下之一：${EDUCATION_LEVELS.join('、')}（在读学生填正在就读的学历）`,
    example: '本科',
    aliases: ['文化程度', '最高学历'],
  },
  {
    key: 'postTitle',
    header: '职务',
    required: required('postTitle'),
    explanation: `选填；团干部填所任职务，如${COMMON_POST_TITLES.slice(0, 4).join('、')}`,
    example: '',
    aliases: ['团内职务', '现任职务'],
  },
];

/** Column definition by key. */
export function columnByKey(key: ColumnKey): ColumnDef {
  const col = COLUMNS.find((c) => c.key === key);
  if (!col) throw new Error(`unknown roster column: ${key}`);
  return col;
}

/** A note in brackets: `（必填）`, `(18位)`, `【全称】`. */
const NOTE = String.raw`[(（【\[][^()（）【】\[\]]*[)）】\]]`;
const LEADING_MARKS = new RegExp(`^(?:[*＊]|${NOTE})+`);
const TRAILING_MARKS = new RegExp(`(?:[*＊]|${NOTE})+$`);

/**
 * Header text without spaces, required markers and notes in brackets before or after it, so
 * `姓名 *`, `　姓名（必填）`, `身份证号（18位）`, `所在团支部【全称】` and `姓名` compare as their column.
 */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[\s\u3000\u200b\ufeff]/g, '')
    .replace(LEADING_MARKS, '')
    .replace(TRAILING_MARKS, '');
}

const HEADER_INDEX: ReadonlyMap<string, ColumnKey> = new Map(COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [normaliseHeader(h), c.key] as const)));

/** The column a header cell names, or undefined for a column the import does not use. */
export function matchHeader(text: string): ColumnKey | undefined {
  return HEADER_INDEX.get(normaliseHeader(text));
}
