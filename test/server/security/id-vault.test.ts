import crypto from 'node:crypto';
import { IdVault } from '../../../server/security/id-vault';
import { makeIdNumber } from '../../helpers/fixtures/factories';

describe('IdVault', () => {
  const vault = new IdVault(crypto.randomBytes(32));

  it('R4 sealMany gives what encrypt and lookupHash give, one by one: ciphers that open, hashes that match, no IV twice', () => {
    const numbers = Array.from({ length: 500 }, () => makeIdNumber('20050615'));
    const { ciphers, hashes } = vault.sealMany(numbers);
    expect(ciphers.map((c) => vault.decrypt(c))).toEqual(numbers);
    expect(hashes).toEqual(numbers.map((n) => vault.lookupHash(n)));
    const ivs = new Set(ciphers.map((c) => c.split('.')[1]));
    expect(ivs.size).toBe(numbers.length);
    expect(ciphers.every((c) => /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/.test(c))).toBe(true);
  });

  it('another key opens nothing and hashes differently', () => {
    const other = new IdVault(crypto.randomBytes(32));
    const [cipher] = vault.sealMany(['110105200506151236']).ciphers;
    expect(() => other.decrypt(cipher)).toThrow();
    expect(other.lookupHash('110105200506151236')).not.toBe(vault.lookupHash('110105200506151236'));
  });
});
