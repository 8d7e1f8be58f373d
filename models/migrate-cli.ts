import 'dotenv/config';
import { loadConfig } from '../server/config';
import { openDatabase } from './index';
import { createMigrator } from './migrator';

/** `npm run migrate [-- down]`: applies pending migrations, or reverts the last one. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl);
  const migrator = createMigrator(db, console);
  if (process.argv[2] === 'down') await migrator.down();
  else await migrator.up();
  await db.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
