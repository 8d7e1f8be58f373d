import crypto from 'node:crypto';
import { IdVault } from '../../../server/security/id-vault';
import { makeIdNumber } from '../../helpers/factories';

describe('bulk sealing of ID numbers (the import path)', () => {
  it('R1 the worker thread writes the vault format: ciphers decrypt, hashes equal lookupHash, IVs differ', async () => {
    const vault = new IdVault(crypto.randomBytes(32));
    const numbers = Array.from({ length: 50 }, () => makeIdNumber('20010203'));
    const sealer = vault.bulkSealer();
    try {
      const [a, b] = await Promise.all([sealer.seal(numbers), sealer.seal(numbers.slice(0, 3))]);
      expect(a.ciphers.map((c) => vault.decrypt(c))).toEqual(numbers);
      expect(a.hashes).toEqual(numbers.map((n) => vault.lookupHash(n)));
      expect(b.hashes).toEqual(a.hashes.slice(0, 3));
      expect(new Set([...a.ciphers, ...b.ciphers]).size).toBe(53); // a fresh IV each time
    } finally {
      await sealer.close();
    }
  });
});
