import { QueryTypes, type Transaction } from 'sequelize';
import { createTestSystem } from '../helpers/system';

const onSqlite = (process.env.TEST_DATABASE_URL ?? '').startsWith('postgres') ? describe.skip : describe;

onSqlite('SQLite connections', () => {
  it('R7 write transactions share one writer connection whose page cache holds a large import (12 MiB), other connections keep the default', async () => {
    const sys = await createTestSystem();
    try {
      const { db } = sys;
      const cacheSize = (t?: Transaction) =>
        db.sequelize.query<{ cache_size: number }>('PRAGMA cache_size', { type: QueryTypes.SELECT, transaction: t }).then((r) => r[0].cache_size);
      expect(await db.transaction((t) => cacheSize(t))).toBe(-12288);
      expect(await db.transaction((t) => cacheSize(t))).toBe(-12288);
      expect(await cacheSize()).toBe(-2000);
    } finally {
      await sys.close();
    }
  });
});
