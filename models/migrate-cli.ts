import 'dotenv/config';
import { loadConfig } from '../server/config';
import { openDatabase } from './index';
import { createMigrator, withMigrationLock } from './migrator';

/** `npm run migrate [-- down]`: applies pending migrations, or reverts the last one. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl);
  const migrator = createMigrator(db, console);
  await withMigrationLock(db, () => (process.argv[2] === 'down' ? migrator.down() : migrator.up()));
  await db.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
