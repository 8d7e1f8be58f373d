import path from 'node:path';
import { Client } from 'pg';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Database } from './index';

/** Umzug over `models/migrations/*.ts`, its progress kept in the `SequelizeMeta` table. */
export function createMigrator(db: Database, logger?: { info(msg: unknown): void }) {
  return new Umzug({
    migrations: {
      glob: ['migrations/*.{ts,js}', { cwd: __dirname, ignore: ['**/*.d.ts'] }],
      resolve: ({ name, path: file, context }) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const migration = require(file!);
        return { name: path.basename(name, path.extname(name)), up: () => migration.up({ context }), down: () => migration.down({ context }) };
      },
    },
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: db.sequelize }),
    logger: logger ? { info: (m) => logger.info(m), warn: (m) => logger.info(m), error: (m) => logger.info(m), debug: () => undefined } : undefined,
  });
}

/** Applies every pending migration; on PostgreSQL one process at a time (the others wait, then find nothing to do). */
export async function migrate(db: Database, logger?: { info(msg: unknown): void }): Promise<void> {
  await withMigrationLock(db, () => createMigrator(db, logger).up());
}

/** Runs `fn` holding a PostgreSQL advisory lock taken on a connection of its own (none is needed on SQLite). */
export async function withMigrationLock<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres' || !db.url) return fn();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(2, 1)');
    return await fn();
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}
