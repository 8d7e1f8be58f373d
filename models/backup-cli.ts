import 'dotenv/config';
import { ConfigError, loadConfig } from '../server/config';
import { BackupError, backupDatabase, defaultBackupFile } from './backup';

/**
 * `npm run backup [-- <file>]`: a consistent copy of the SQLite database, by default to
 * `<DATA_DIR>/backups/zhtj-<timestamp>.sqlite`, while the server may be running.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  process.env.TZ = config.timezone; // the file name's time is local, as in the server's logs
  const target = process.argv[2] ?? defaultBackupFile(config.dataDir);
  const { file, pages } = await backupDatabase(config.databaseUrl, target);
  console.log(`Backed up ${pages} pages to ${file}`);
  const key = config.idKey ? 'the value of ID_ENCRYPTION_KEY' : `the key file ${config.dataDir}/id-key`;
  console.log(`Keep ${key} safe as well (not beside the copy): without it the copy's ID numbers cannot be read.`);
}

main().catch((err) => {
  console.error(err instanceof BackupError || err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
