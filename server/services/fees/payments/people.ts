/** Who each row of a payment sheet is about: found by ID number or by name, only within the admin's subtrees. */
import { QueryTypes, type Transaction } from 'sequelize';
import type { ServiceDeps } from '../../deps';
import { cellText, type CellValue } from '../../membership/roster-import/file/cells';
import { halfWidth } from '../money';
import type { PaymentRowError } from './report';
import type { PaymentRow } from './sheet';
import { PAYER_COLUMNS, PAYER_ROLES, payerOf, type Payer } from '../payers';
import { underAnyPath } from '../../../../models/fast-sql';

/** Adds a problem to a row. */
export type Fail = (row: PaymentRow, column: PaymentRowError['column'], message: string) => void;

export const failInto =
  (errors: Map<number, PaymentRowError[]>): Fail =>
  (row, column, message) =>
    errors.set(row.rowNumber, [...(errors.get(row.rowNumber) ?? []), { column, message }]);

/** Each row's payer (row number → payer); rows without one get their problem in `errors`. */
export async function resolvePayers(
  deps: ServiceDeps,
  paths: string[],
  rows: PaymentRow[],
  errors: Map<number, PaymentRowError[]>,
  t: Transaction,
): Promise<Map<number, Payer>> {
  const idOf = (v: CellValue) => halfWidth(cellText(v)).replace(/\s/g, '').toUpperCase();
  const names = [...new Set(rows.map((r) => cellText(r.cells.name)).filter(Boolean))];
  const hashes = [...new Set(rows.map((r) => idOf(r.cells.idNumber)).filter((id) => /^\d{17}[\dX]$/.test(id)))].map((id) => deps.vault.lookupHash(id));
  const scope = underAnyPath(deps.db.dialect, 'b.path', paths);
  const found: Array<Payer & { idHash: string }> = [];
  const chunks = (list: string[]) => Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => list.slice(i * 500, i * 500 + 500));
  for (const [column, values] of [
    ['p.name', names],
    ['p.id_hash', hashes],
  ] as const) {
    for (const chunk of chunks(values)) {
      const rowsFound = await deps.db.sequelize.query<Record<string, any>>(
        `SELECT ${PAYER_COLUMNS}, p.id_hash FROM people p JOIN organisations b ON b.id = p.branch_id WHERE ${column} IN (:values) AND p.role IN (:roles) AND ${scope.sql}`,
        { replacements: { values: chunk, roles: PAYER_ROLES, ...scope.replacements }, type: QueryTypes.SELECT, transaction: t },
      );
      for (const r of rowsFound) if (!found.some((f) => f.id === Number(r.id))) found.push({ ...payerOf(r), idHash: r.id_hash });
    }
  }
  const out = new Map<number, Payer>();
  const fail = failInto(errors);
  for (const row of rows) {
    const name = cellText(row.cells.name);
    const id = idOf(row.cells.idNumber);
    if (!name) {
      fail(row, 'name', '请填写姓名');
      continue;
    }
    if (typeof row.cells.idNumber === 'number') {
      fail(row, 'idNumber', '身份证号码须为文本格式（数字格式会丢掉后几位），请把该列设为“文本”后重新填写');
      continue;
    }
    if (id) {
      if (!/^\d{17}[\dX]$/.test(id)) {
        fail(row, 'idNumber', '身份证号码应为 18 位');
        continue;
      }
      const payer = found.find((f) => f.idHash === deps.vault.lookupHash(id));
      if (!payer) fail(row, 'idNumber', '在您管理的组织及其下级组织中没有这个身份证号码的团员');
      else if (payer.name !== name) fail(row, 'name', '姓名与身份证号码不符');
      else out.set(row.rowNumber, payer);
      continue;
    }
    const same = found.filter((f) => f.name === name);
    if (!same.length) fail(row, 'name', `在您管理的组织及其下级组织中没有名为“${name}”的团员`);
    else if (same.length > 1) fail(row, 'idNumber', `有 ${same.length} 位团员名为“${name}”，请填写身份证号码以区分`);
    else out.set(row.rowNumber, same[0]);
  }
  return out;
}
