import { ACTIONS, FLOWS } from '../flows';
import { FlowRunner } from '../flows/engine/runner';
import { Database, openDatabase } from '../models';
import { migrate } from '../models/migrator';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { useStreamBuffer } from './lib/stream-buffer';
import { Metrics } from './metrics';
import { IdVault, loadMasterKey } from './security/id-vault';
import { checkIdKeyAtStart } from './security/key-check';
import { PasswordHasher } from './security/passwords';
import { deriveSecret } from './security/secrets';
import { createServices, Services } from './services';
import { DEFAULT_LOGIN_IDLE_MS } from './services/deps';

/** The core every entry point shares: database, services and the flow runner. */
export interface System {
  db: Database;
  services: Services;
  runner: FlowRunner;
  logger: Logger;
  metrics: Metrics;
  /** A key for one purpose (cookie signing …), derived from the ID master key. */
  secret(label: string): Buffer;
  /** What a worker thread needs to open this system again (same database, same key, same clock). */
  workerSeed(): WorkerSeed;
  /** Writes what is still buffered (handled-update marks) and closes the database. */
  close(): Promise<void>;
}

/** What a worker thread needs to build a system over the same database and key. */
export interface WorkerSeed {
  databaseUrl: string;
  dataDir: string;
  scryptLog2N: number;
  loginIdleMs: number;
  masterKey: Uint8Array;
  /** The system's clock minus the real one (0 but in tests that move it). */
  clockOffsetMs: number;
}

/** A worker thread's system over the database and key of the process that started it. */
export function buildWorkerSystem(seed: WorkerSeed): Promise<System> {
  return buildSystem(
    { databaseUrl: seed.databaseUrl, dataDir: seed.dataDir, scryptLog2N: seed.scryptLog2N, loginIdleMs: seed.loginIdleMs },
    createLogger(process.env.LOG_LEVEL ?? 'info'),
    { masterKey: Buffer.from(seed.masterKey), now: () => new Date(Date.now() + seed.clockOffsetMs) },
  );
}

/** Opens and migrates the database and builds services and flows (no server, bot or jobs). */
export async function buildSystem(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'idKey' | 'scryptLog2N'> & Partial<Pick<Config, 'loginIdleMs' | 'quietHours'>>,
  logger: Logger,
  opts: { now?: () => Date; masterKey?: Buffer } = {},
): Promise<System> {
  useStreamBuffer();
  const db = await openDatabase(config.databaseUrl, { log: logger });
  await migrate(db, { info: (m) => logger.debug(m) });
  await checkIdKeyAtStart(db, config, opts.masterKey);
  const metrics = new Metrics();
  const masterKey = opts.masterKey ?? loadMasterKey(config.idKey, config.dataDir);
  const services = createServices({
    db,
    vault: new IdVault(masterKey),
    hasher: new PasswordHasher(config.scryptLog2N),
    logger,
    metrics,
    now: opts.now ?? (() => new Date()),
    loginIdleMs: config.loginIdleMs ?? DEFAULT_LOGIN_IDLE_MS,
    quietHours: config.quietHours ?? null,
  });
  metrics.trackOutbox(() => services.outbox.countByStatus());
  const runner = new FlowRunner(services, FLOWS, ACTIONS, (err, inbound) => {
    metrics.updateErrors.inc({ channel: inbound.actor.channel });
    logger.error({ err, channel: inbound.actor.channel, event: inbound.event.type }, 'flow failed');
  });
  return {
    db,
    services,
    runner,
    logger,
    metrics,
    secret: (label) => deriveSecret(masterKey, label),
    workerSeed() {
      const { deps } = services;
      return {
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        scryptLog2N: config.scryptLog2N,
        loginIdleMs: deps.loginIdleMs,
        masterKey,
        clockOffsetMs: deps.now().getTime() - Date.now(),
      };
    },
    async close() {
      await services.updates.flush();
      await services.chatLocks.close();
      await db.close();
    },
  };
}
