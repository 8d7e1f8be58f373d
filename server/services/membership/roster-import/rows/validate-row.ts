/**
 * Checks one data row of the member spreadsheet against every column rule, without the
 * database: the caller supplies branch lookup and suggestions. Duplicates against existing
 * accounts (R4) are the writer's job; duplicates inside the file are found here.
 */
import { quoteInput } from '../../../../lib/quote';
import { normaliseOrgName } from '../../../organisations/org-names';
import { cellText, type CellValue } from '../file/cells';
import { columnByKey, type ColumnKey } from './columns';
import { parseDate, todayInChina } from './dates';
import type { RosterRow } from '../file/reader';
import { rememberTextAnswers } from '../memo';
import type { Parsed } from '../../../../lib/parsed';
import {
  namesPost,
  parseEducation,
  parseEthnicity,
  parseIdCell,
  parseName,
  parsePhone,
  parsePostTitle,
  parseRole,
  type Education,
  type RosterRole,
} from './values';

const role = rememberTextAnswers(parseRole);
const ethnicity = rememberTextAnswers(parseEthnicity);
const education = rememberTextAnswers(parseEducation);
const postTitle = rememberTextAnswers(parsePostTitle);

/** A row that passed every check, ready for the writer. */
export interface ValidRosterRow {
  rowNumber: number;
  name: string;
  idNumber: string;
  /** From the ID number (R1). */
  birthDate: string;
  gender: 'M' | 'F';
  branchId: number;
  /** The branch's full name as stored, not as typed. */
  branchFullName: string;
  role: RosterRole;
  joinedAt: string;
  phone: string;
  ethnicity: string;
  education: Education;
  postTitle: string | null;
}

/** A problem with one cell; the message is for the user, in Chinese. */
export interface RowError {
  column: ColumnKey;
  message: string;
}

/** Outcome of {@link validateRow}: the row, or every problem found in it. */
export type RowValidation = { ok: true; value: ValidRosterRow } | { ok: false; errors: RowError[] };

/** What validation needs from outside; one context per file. */
export interface ValidateContext {
  /**
   * The branch (团支部) with this normalised full name that the importer may add members to
   * (see normaliseOrgName in ../org-names), or undefined.
   */
  branchByName: (normalisedName: string) => { id: number; fullName: string } | undefined;
  /** Close existing full names for a name that matched nothing (e.g. createNameSuggester). */
  suggest: (name: string) => string[];
  /** ID number → first row it appeared in; validateRow records each valid ID number here (R4). */
  seenIds: Map<string, number>;
  /** Today as `YYYY-MM-DD` (tests); defaults to today in China. */
  today?: string;
}

/** The R11 message for a branch name that matches no organisation, with suggestions if any. */
export function unknownBranchMessage(nameAsRead: string, suggestions: readonly string[]): string {
  const hint = suggestions.length > 0 ? `，您是否要填写：${suggestions.join('、')}` : '';
  return `组织不存在：${quoteInput(nameAsRead, 60)}${hint}`;
}

/**
 * The template's example ID number (columns.ts, row 2 of /template): valid under R1, so a kept
 * example row would create an account that its real owner could then never register (R4).
 */
export const TEMPLATE_EXAMPLE_ID = columnByKey('idNumber').example;

/** The message for a row holding the template's example person. */
export const templateExampleMessage = (rowNumber: number): string => `第 ${rowNumber} 行是模板中的示例，请删除后重新发送`;

/** The message for a cell holding a formula whose result the file does not store. */
export function formulaWithoutResultMessage(column: ColumnKey, formula: string): string {
  const shown = formula ? `（=${formula}）` : '';
  return `${columnByKey(column).header}是公式${shown}，文件中没有保存它的计算结果：请在 Excel 或 WPS 中打开并保存后重新发送，或把公式换成它的值（复制后“选择性粘贴 → 数值”）`;
}

/**
 * The parsed value, or undefined with the problem added to `errors` (a function, not a per-row
 * closure: 100,000 rows). A formula without a result is the cell's problem, whatever it parsed to.
 */
function keep<T>(errors: RowError[], column: ColumnKey, result: Parsed<T>, formulas?: RosterRow['formulas']): T | undefined {
  const formula = formulas?.[column];
  if (formula !== undefined) {
    errors.push({ column, message: formulaWithoutResultMessage(column, formula) });
    return undefined;
  }
  if (result.ok) return result.value;
  errors.push({ column, message: result.message });
  return undefined;
}

type BranchAnswer = Parsed<{ id: number; fullName: string }>;
/** Each file's branch names as looked up (a context is one file). */
const branchAnswers = new WeakMap<ValidateContext, (value: CellValue) => BranchAnswer>();

function checkBranch(value: CellValue, ctx: ValidateContext): BranchAnswer {
  let check = branchAnswers.get(ctx);
  if (!check) branchAnswers.set(ctx, (check = rememberTextAnswers((v: CellValue) => lookUpBranch(v, ctx))));
  return check(value);
}

function lookUpBranch(value: CellValue, ctx: ValidateContext): BranchAnswer {
  if (value === null) return { ok: false, message: '所在团支部未填写，请填写团支部的组织全称' };
  const asRead = cellText(value);
  const branch = ctx.branchByName(normaliseOrgName(asRead));
  if (branch) return { ok: true, value: branch };
  return { ok: false, message: unknownBranchMessage(asRead, ctx.suggest(asRead)) };
}

/** League age (团章): from 14; at 28 a member who holds no league post leaves (R24). */
export const YOUNGEST_MEMBER_AGE = 14;
export const LEAVING_AGE = 28;

/** Whole years from a birth date to a day, both `YYYY-MM-DD` (a 29 February birthday counts from 1 March). */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The R24 / league-age problem of a row, if any: under 14, or 28 and over without a league post. */
function ageProblem(birthDate: string, day: string, role: RosterRole | undefined, postTitle: string | null | undefined): string | undefined {
  const age = ageOn(birthDate, day);
  if (age < YOUNGEST_MEMBER_AGE) {
    return `年龄不满 ${YOUNGEST_MEMBER_AGE} 周岁（出生日期 ${birthDate}，来自身份证号码），不能作为团员导入，请核对身份证号码`;
  }
  // Without a role or a post title read, whether the person holds a post is unknown: their other errors come first.
  if (age >= LEAVING_AGE && role !== undefined && postTitle !== undefined && !(role === 'cadre' && namesPost(postTitle))) {
    return `已满 ${LEAVING_AGE} 周岁（出生日期 ${birthDate}，来自身份证号码）且未担任团内职务，按规定应离团，不能导入；担任团内职务的，请把政治面貌填为“团干部”并填写职务`;
  }
  return undefined;
}

let lastDay = '';
let lastDayStart = new Date(0);

/** Midnight UTC of `YYYY-MM-DD`, remembered: every row of a file asks for the same day. */
function dayStart(day: string): Date {
  if (day !== lastDay) [lastDay, lastDayStart] = [day, new Date(`${day}T00:00:00Z`)];
  return lastDayStart;
}

/**
 * Validates one row (R1 ID number, R4 duplicates within the file and the template's example
 * person, R11 branch by full name, R24 league age: 14 to under 28 unless holding a post, and
 * every other column). Reports all problems of the row at
 * once; the example row gets only {@link templateExampleMessage}.
 * @example const r = validateRow(row, ctx); if (!r.ok) errors.set(row.rowNumber, r.errors);
 */
export function validateRow(row: RosterRow, ctx: ValidateContext): RowValidation {
  const errors: RowError[] = [];
  const { cells, formulas } = row;
  const today = ctx.today;
  const name = keep(errors, 'name', parseName(cells.name), formulas);
  const id = keep(errors, 'idNumber', parseIdCell(cells.idNumber, today ? dayStart(today) : undefined), formulas);
  if (id?.value === TEMPLATE_EXAMPLE_ID) {
    // Whatever else the admin changed in it (a branch filled down, say), it is the example: its other problems are noise.
    return { ok: false, errors: [{ column: 'idNumber', message: templateExampleMessage(row.rowNumber) }] };
  }
  if (id) {
    const firstRow = ctx.seenIds.get(id.value);
    if (firstRow !== undefined && firstRow !== row.rowNumber) {
      errors.push({ column: 'idNumber', message: `与第 ${firstRow} 行身份证号码重复` });
    } else {
      ctx.seenIds.set(id.value, row.rowNumber);
    }
  }
  const branch = keep(errors, 'branchFullName', checkBranch(cells.branchFullName, ctx), formulas);
  const roleValue = keep(errors, 'role', role(cells.role), formulas);
  let joinedAt = keep(errors, 'joinedAt', parseDate(cells.joinedAt, { today, label: '入团时间' }), formulas);
  if (joinedAt && id && joinedAt <= id.birthDate) {
    errors.push({ column: 'joinedAt', message: `入团时间 ${joinedAt} 不晚于出生日期 ${id.birthDate}（来自身份证号码），请检查` });
    joinedAt = undefined;
  }
  const phone = keep(errors, 'phone', parsePhone(cells.phone), formulas);
  const ethnicityValue = keep(errors, 'ethnicity', ethnicity(cells.ethnicity), formulas);
  const educationValue = keep(errors, 'education', education(cells.education), formulas);
  const postTitleValue = keep(errors, 'postTitle', postTitle(cells.postTitle), formulas);
  const tooYoungOrOld = id && ageProblem(id.birthDate, today ?? todayInChina(), roleValue, postTitleValue);
  if (tooYoungOrOld) errors.push({ column: 'idNumber', message: tooYoungOrOld });
  if (errors.length > 0 || !name || !id || !branch || !roleValue || !joinedAt || !phone || !ethnicityValue || !educationValue || postTitleValue === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      rowNumber: row.rowNumber,
      name,
      idNumber: id.value,
      birthDate: id.birthDate,
      gender: id.gender,
      branchId: branch.id,
      branchFullName: branch.fullName,
      role: roleValue,
      joinedAt,
      phone,
      ethnicity: ethnicityValue,
      education: educationValue,
      postTitle: postTitleValue,
    },
  };
}
