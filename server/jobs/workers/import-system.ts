/**
 * What an import's worker thread runs on: the database, the ID key, and the four services an
 * import uses, built the way createServices builds them. Not the whole system (buildSystem):
 * that loads every flow and service, charts (echarts, resvg) and QR codes included, and its
 * migrator; in a thread of its own they took about 50 MB more of the process and 24 MB more of
 * the thread's capped heap (measured with bench/import.ts), which the import then lacked. The
 * process that starts the thread has migrated the database and checked the key already.
 */
import type { Database } from '../../../models';
import { openDatabase } from '../../../models';
import { createLogger, type Logger } from '../../logger';
import { useStreamBuffer } from '../../lib/stream-buffer';
import { Metrics } from '../../metrics';
import { IdVault } from '../../security/id-vault';
import { PasswordHasher } from '../../security/passwords';
import type { Services } from '../../services';
import { ChatBindings } from '../../services/accounts/chat-bindings';
import { Outbox } from '../../services/messaging/outbox';
import { OutboxRows } from '../../services/messaging/outbox-rows';
import { Admins } from '../../services/organisations/admins';
import { BackgroundJobs } from '../../services/platform/background-jobs';
import type { WorkerSeed } from '../../system';

/** The services an import uses: importRoster's (deps, admins) and those that end its job. */
export type ImportServices = Pick<Services, 'deps' | 'admins' | 'outbox' | 'backgroundJobs'>;

/** An import thread's database and services. */
export interface ImportSystem {
  db: Database;
  services: ImportServices;
  close(): Promise<void>;
}

/** Opens the seed's database (migrated by the process that started the thread) with the import's services. */
export async function buildImportSystem(seed: WorkerSeed, logger: Logger = createLogger(process.env.LOG_LEVEL ?? 'info')): Promise<ImportSystem> {
  useStreamBuffer();
  const db = await openDatabase(seed.databaseUrl, { log: logger });
  const deps = {
    db,
    vault: new IdVault(Buffer.from(seed.masterKey)),
    hasher: new PasswordHasher(seed.scryptLog2N),
    logger,
    metrics: new Metrics(),
    now: () => new Date(Date.now() + seed.clockOffsetMs),
    loginIdleMs: seed.loginIdleMs,
    quietHours: null,
  };
  const outbox = new Outbox(deps, new ChatBindings(deps), new OutboxRows(deps));
  return {
    db,
    services: { deps, admins: new Admins(deps), outbox, backgroundJobs: new BackgroundJobs(deps, outbox) },
    close: () => db.close(),
  };
}
