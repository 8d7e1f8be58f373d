import crypto from 'node:crypto';
import fs from 'node:fs';
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

  /** Niceness of each of this process's threads (Linux). */
  const threadNices = () =>
    fs.readdirSync('/proc/self/task').map((tid) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });

  (process.platform === 'linux' ? it : it.skip)('the sealing thread alone runs at a lower priority, so reading and the bot come first', async () => {
    const before = threadNices();
    const sealer = new IdVault(crypto.randomBytes(32)).bulkSealer();
    try {
      await sealer.seal([makeIdNumber('20010203')]);
      const during = threadNices();
      expect(during.filter((n) => n === 10).length).toBe(before.filter((n) => n === 10).length + 1);
      expect(Math.min(...during)).toBe(Math.min(...before)); // the process itself keeps its priority
    } finally {
      await sealer.close();
    }
  });
});
