import path from 'node:path';
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

/** Applies every pending migration. */
export async function migrate(db: Database, logger?: { info(msg: unknown): void }): Promise<void> {
  await createMigrator(db, logger).up();
}
