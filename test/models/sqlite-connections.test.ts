import { QueryTypes } from 'sequelize';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../models/sqlite-connections';
import { createTestSystem } from '../helpers/system';

const onSqlite = (process.env.TEST_DATABASE_URL ?? '').startsWith('postgres') ? describe.skip : describe;

onSqlite('SQLite connections', () => {
  it('write transactions share one long-lived, tuned writer connection; other queries use others', async () => {
    const sys = await createTestSystem();
    try {
      const { sequelize } = sys.db;
      // A temporary table lives in its connection: the next write transaction still sees it …
      await sys.db.transaction((t) => sequelize.query('CREATE TEMP TABLE writer_probe (x INTEGER)', { transaction: t }));
      const seen = await sys.db.transaction((t) =>
        sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM temp.writer_probe', { type: QueryTypes.SELECT, transaction: t }),
      );
      expect(seen).toEqual([{ n: 0 }]);
      const timeout = await sys.db.transaction((t) => sequelize.query<{ timeout: number }>('PRAGMA busy_timeout', { type: QueryTypes.SELECT, transaction: t }));
      expect(timeout).toEqual([{ timeout: SQLITE_BUSY_TIMEOUT_MS }]);
      // … a query outside a write transaction runs on another connection, which has no such table.
      await expect(sequelize.query('SELECT COUNT(*) FROM temp.writer_probe')).rejects.toThrow(/no such table/);
    } finally {
      await sys.close();
    }
  });
});
