/**
 * The required fields of a person's profile (个人信息必填项), defined once: R16 counts a person
 * complete when every one is filled, whatever their verification state, and the member import
 * (R7) requires the same fields as columns (roster-import/columns.ts reads its flags from here).
 * Gender and birth date are not listed: they come from the ID number and are always there.
 */
import type { ColumnKey } from './roster-import/rows/column-key';

/** One required field: its label, the `people` column holding it and the import column that fills it. */
export interface PersonField {
  /** Attribute of the Person model. */
  key: 'name' | 'idCipher' | 'role' | 'joinedLeagueAt' | 'phone' | 'ethnicity' | 'education';
  label: string;
  /** Column of the `people` table (plain SQL reads it). */
  column: string;
  /** The import's column for it. */
  importColumn: ColumnKey;
}

/** Every required person field, in the order the template shows them. */
export const REQUIRED_PERSON_FIELDS: readonly PersonField[] = [
  { key: 'name', label: '姓名', column: 'name', importColumn: 'name' },
  { key: 'idCipher', label: '身份证号码', column: 'id_cipher', importColumn: 'idNumber' },
  { key: 'role', label: '政治面貌', column: 'role', importColumn: 'role' },
  { key: 'joinedLeagueAt', label: '入团时间', column: 'joined_league_at', importColumn: 'joinedAt' },
  { key: 'phone', label: '手机号码', column: 'phone', importColumn: 'phone' },
  { key: 'ethnicity', label: '民族', column: 'ethnicity', importColumn: 'ethnicity' },
  { key: 'education', label: '学历', column: 'education', importColumn: 'education' },
];

/** True when the import column holds a required person field. */
export function isRequiredPersonColumn(key: ColumnKey): boolean {
  return REQUIRED_PERSON_FIELDS.some((f) => f.importColumn === key);
}

const blank = (v: unknown) => v === null || v === undefined || v === '';

/** Labels of the required fields a person has not filled (empty: complete, R16). */
export function missingPersonFields(person: Partial<Record<PersonField['key'], unknown>>): string[] {
  return REQUIRED_PERSON_FIELDS.filter((f) => blank(person[f.key])).map((f) => f.label);
}

/**
 * SQL that is true when the person aliased `alias` lacks a required field (R16), in the
 * common subset of SQLite and PostgreSQL; empty as in {@link missingPersonFields} (every way
 * in trims what it stores, so a value of spaces never reaches the table). Without an alias the
 * columns are bare, as an index on the expression needs them (the entry-progress index:
 * migration 20261204090000 holds this same text, and a test checks that it still does).
 */
export function incompletePersonSql(alias?: string): string {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  return `(${REQUIRED_PERSON_FIELDS.map((f) => `${col(f.column)} IS NULL OR ${col(f.column)} = ''`).join(' OR ')})`;
}
