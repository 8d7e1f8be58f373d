import type { Database } from '../../models';
import type { Logger } from '../logger';
import type { IdVault } from '../security/id-vault';
import type { PasswordHasher } from '../security/passwords';

/** What every service is built from: the database, the key holders, a logger and a clock. */
export interface ServiceDeps {
  db: Database;
  vault: IdVault;
  hasher: PasswordHasher;
  logger: Logger;
  /** The clock; tests move it to check windows and expiries. */
  now: () => Date;
}
