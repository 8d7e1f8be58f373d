import path from 'node:path';
import { QueryTypes } from 'sequelize';
import type { Database } from '../../models';
import { type Config, ConfigError } from '../config';
import { IdVault, loadMasterKey } from './id-vault';

/** The `settings` row holding the key check value. */
const CHECK_NAME = 'id_key_check';
/** Hashed with the lookup key; no ID number can look like it, so it never equals a stored hash. */
const CHECK_INPUT = 'zhtj id-key check';

/**
 * The ID master key is not the one this database's ID numbers were sealed with. Its one-line
 * message names where the key came from; the process must not start.
 */
export class IdKeyMismatchError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'IdKeyMismatchError';
    // A user-fixable setting, not a fault in the code: a stack trace would only bury the message.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Where the master key came from, for the message: what it is called and how to put it right. */
export interface KeySource {
  name: string;
  fix: string;
}

/** The value stored at first start: a keyed hash of a fixed text, which says nothing of the key itself. */
export function keyCheckValue(vault: IdVault): string {
  return `v1:${vault.lookupHash(CHECK_INPUT)}`;
}

/** Whether `vault` opens a stored ID number and hashes it to the hash stored beside it. */
function opensPerson(vault: IdVault, row: { id_cipher: string; id_hash: string }): boolean {
  try {
    return vault.lookupHash(vault.decrypt(row.id_cipher)) === row.id_hash;
  } catch {
    return false; // AES-GCM refuses a cipher sealed with another key
  }
}

const mismatch = (source: KeySource) =>
  new IdKeyMismatchError(
    `${source.name} is not the key this database's ID numbers were encrypted with; ${source.fix}. ` +
      'With another key logins would fail and an ID number could be registered twice.',
  );

/**
 * Compares the master key with the check value stored in `settings`, storing it on first
 * start. A database made before there was a check value, with people in it, is first checked
 * against one stored ID number. A wrong key would otherwise pass unnoticed: logins would fail
 * as wrong passwords and /join would register an existing ID number again (R4). Throws
 * IdKeyMismatchError naming `source` (where the key came from) on a mismatch.
 */
export async function verifyIdKey(db: Database, masterKey: Buffer, source: KeySource): Promise<void> {
  const vault = new IdVault(masterKey);
  const expected = keyCheckValue(vault);
  const select = <T extends object>(sql: string) => db.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  let [stored] = await select<{ value: string }>(`SELECT value FROM settings WHERE name = '${CHECK_NAME}'`);
  if (!stored) {
    const [person] = await select<{ id_cipher: string; id_hash: string }>('SELECT id_cipher, id_hash FROM people ORDER BY id LIMIT 1');
    if (person && !opensPerson(vault, person)) throw mismatch(source);
    // Two processes starting at once on a new database: the first insert wins and both compare with it.
    await db.transaction((transaction) =>
      db.sequelize.query('INSERT INTO settings (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', {
        replacements: [CHECK_NAME, expected, new Date()],
        transaction,
      }),
    );
    [stored] = await select<{ value: string }>(`SELECT value FROM settings WHERE name = '${CHECK_NAME}'`);
  }
  if (stored?.value !== expected) throw mismatch(source);
}

/**
 * The start-up check of buildSystem: resolves the master key as buildSystem does (`given`, else
 * ID_ENCRYPTION_KEY, else the key file) and verifies it. On a mismatch the database is closed
 * and IdKeyMismatchError names ID_ENCRYPTION_KEY or the key file.
 */
export async function checkIdKeyAtStart(db: Database, config: Pick<Config, 'idKey' | 'dataDir'>, given?: Buffer): Promise<void> {
  const file = path.join(config.dataDir, 'id-key');
  const source: KeySource = given
    ? { name: 'The ID master key given to buildSystem', fix: 'pass the original key' }
    : config.idKey
      ? { name: 'ID_ENCRYPTION_KEY', fix: 'set ID_ENCRYPTION_KEY to the original key' }
      : { name: `The key file ${file}`, fix: `put the original ${file} back, or set ID_ENCRYPTION_KEY to the original key` };
  try {
    await verifyIdKey(db, given ?? loadMasterKey(config.idKey, config.dataDir), source);
  } catch (err) {
    await db.close();
    throw err;
  }
}
