import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import type { Config } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { IdVault } from '../../../server/security/id-vault';
import { IdKeyMismatchError, keyCheckValue } from '../../../server/security/key-check';
import { buildSystem } from '../../../server/system';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let otherDirs: string[] = [];
beforeEach(async () => {
  sys = await createTestSystem();
});
afterEach(async () => {
  await sys.close();
  for (const dir of otherDirs) fs.rmSync(dir, { recursive: true, force: true });
  otherDirs = [];
});

const keyFile = () => path.join(sys.dataDir, 'id-key');
const fileKey = () => fs.readFileSync(keyFile(), 'utf8').trim();
const emptyDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-key-'));
  otherDirs.push(dir);
  return dir;
};
/** Starts another system on the test database with the key given by `config`. */
const start = (config: Partial<Pick<Config, 'idKey' | 'dataDir'>>) =>
  buildSystem({ databaseUrl: sys.databaseUrl, dataDir: sys.dataDir, scryptLog2N: 10, ...config }, createLogger('silent'));
const storedCheck = async () =>
  (await sys.db.sequelize.query<{ value: string }>("SELECT value FROM settings WHERE name = 'id_key_check'", { type: QueryTypes.SELECT }))[0]?.value;
/** The refusal of a start, checked to be a one-line message without a stack trace. */
async function refusal(starting: Promise<unknown>): Promise<string> {
  const err = await starting.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IdKeyMismatchError);
  const { message, stack } = err as Error;
  expect(message).not.toContain('\n');
  expect(stack).not.toContain('\n');
  return message;
}

describe('the ID key check at start', () => {
  it('the first start stores a check value (not the key); the same key starts again, from the file or from ID_ENCRYPTION_KEY', async () => {
    const stored = await storedCheck();
    expect(stored).toBe(keyCheckValue(new IdVault(Buffer.from(fileKey(), 'base64'))));
    expect(stored).not.toContain(fileKey());
    const { idNumber } = await buildPerson(sys);

    const again = await sys.reopen(); // the same key file
    expect(await again.services.accounts.findByIdNumber(idNumber)).toBeTruthy();
    const byVariable = await start({ idKey: fileKey(), dataDir: emptyDir() });
    await byVariable.db.close();
    expect(await storedCheck()).toBe(stored);
  });

  it('R4 a wrong ID_ENCRYPTION_KEY stops the start with a one-line message naming it (else /join would register an ID number again)', async () => {
    await buildPerson(sys);
    const message = await refusal(start({ idKey: crypto.randomBytes(32).toString('base64') }));
    expect(message).toContain('ID_ENCRYPTION_KEY');
    expect(message).toContain('original key');
  });

  it('R4 a missing or different key file stops the start, naming the file', async () => {
    const dataDir = emptyDir(); // no key file: a new one is made, which cannot match
    expect(await refusal(start({ dataDir }))).toContain(`The key file ${path.join(dataDir, 'id-key')}`);
    fs.writeFileSync(path.join(dataDir, 'id-key'), crypto.randomBytes(32).toString('base64'));
    expect(await refusal(start({ dataDir }))).toContain(path.join(dataDir, 'id-key'));
  });

  it('R4 a database made before the check value is checked against a stored ID number, then given the value', async () => {
    await buildPerson(sys);
    await sys.db.sequelize.query('DELETE FROM settings'); // as before this migration
    expect(await refusal(start({ idKey: crypto.randomBytes(32).toString('base64') }))).toContain('ID_ENCRYPTION_KEY');
    expect(await storedCheck()).toBeUndefined(); // a refused key stores nothing

    const right = await start({ idKey: fileKey(), dataDir: emptyDir() });
    await right.db.close();
    expect(await storedCheck()).toBe(keyCheckValue(new IdVault(Buffer.from(fileKey(), 'base64'))));
  });

  it('a database with no people and no check value takes the key it starts with', async () => {
    await sys.db.sequelize.query('DELETE FROM settings');
    const key = crypto.randomBytes(32);
    const first = await start({ idKey: key.toString('base64') });
    await first.db.close();
    expect(await storedCheck()).toBe(keyCheckValue(new IdVault(key)));
    expect(await refusal(start({ idKey: crypto.randomBytes(32).toString('base64') }))).toContain('ID_ENCRYPTION_KEY');
  });
});
