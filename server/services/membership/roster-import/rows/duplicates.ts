/**
 * R4 for the import: which ID numbers of a file already have an account. Looked up by the
 * keyed hash (the numbers themselves are only stored encrypted), in chunks.
 */
import type { Database } from '../../../../../models';
import type { IdVault } from '../../../../security/id-vault';

/** The row error for an ID number that already has an account (R4). */
export const ALREADY_REGISTERED_MESSAGE = '该身份证号码已注册（不能重复注册），无需再导入，请删除此行；本人可直接用 /login 登录';

/** Hashes per query: well under SQLite's 32766 and PostgreSQL's 65535 parameters. */
const CHUNK = 2000;

/** The subset of `hashes` that belong to existing accounts. */
export async function registeredHashes(db: Database, hashes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < hashes.length; start += CHUNK) {
    const chunk = hashes.slice(start, start + CHUNK);
    const rows = await db.fast.all<{ id_hash: string }>(`SELECT id_hash FROM people WHERE id_hash IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const r of rows) found.add(r.id_hash);
  }
  return found;
}

/**
 * Rows (by sheet row number) whose ID number already has an account, for ID numbers given
 * as number → first row seen (validateRow's `seenIds`).
 */
export async function registeredRows(db: Database, vault: IdVault, seenIds: ReadonlyMap<string, number>): Promise<number[]> {
  const rowOf = new Map<string, number>();
  for (const [id, row] of seenIds) rowOf.set(vault.lookupHash(id), row);
  const found = await registeredHashes(db, [...rowOf.keys()]);
  return [...found].map((h) => rowOf.get(h)!).sort((a, b) => a - b);
}
