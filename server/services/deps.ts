import type { Database } from '../../models';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { IdVault } from '../security/id-vault';
import type { PasswordHasher } from '../security/passwords';
import type { QuietHours } from './messaging/quiet-hours';

/** What every service is built from: the database, the key holders, a logger and a clock. */
export interface ServiceDeps {
  db: Database;
  vault: IdVault;
  hasher: PasswordHasher;
  logger: Logger;
  metrics: Metrics;
  /** The clock; tests move it to check windows and expiries. */
  now: () => Date;
  /** A login ends after this long without a message from its chat. */
  loginIdleMs: number;
  /** When pushed messages (announcements, reminders) wait; none: never (QUIET_HOURS, set at start). */
  quietHours?: QuietHours | null;
}

/** Logins end after 30 days without use unless configured otherwise. */
export const DEFAULT_LOGIN_IDLE_MS = 30 * 86_400_000;
