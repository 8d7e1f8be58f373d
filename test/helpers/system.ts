import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { buildSystem, System } from '../../server/system';
import type { Logger } from '../../server/logger';
import { testLogger } from './logs';

/** A test system with a clock the test can move. */
export interface TestSystem extends System {
  clock: { now: Date; advance(ms: number): void; freeze(at: Date): void; thaw(): void };
  dataDir: string;
  databaseUrl: string;
  /** Another system on the same database and key, as after a process restart. */
  reopen(): Promise<System>;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database per test file: a temporary SQLite file, or, when
 * TEST_DATABASE_URL names a PostgreSQL server, a new database created on it (dropped after).
 */
export async function createTestSystem(opts: { logger?: Logger } = {}): Promise<TestSystem> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-test-'));
  const server = process.env.TEST_DATABASE_URL;
  let databaseUrl = `sqlite:${path.join(dataDir, 'test.sqlite')}`;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (server?.startsWith('postgres')) {
    const name = `zhtj_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  // Time goes on as it does (a worker thread or another process shares it); tests move or set it.
  let offset = 0;
  // A frozen clock stands still (setting or advancing it moves it): a test of an exact instant needs it.
  let frozen: number | null = null;
  const clock = {
    get now(): Date {
      return new Date(frozen ?? Date.now() + offset);
    },
    set now(at: Date) {
      if (frozen !== null) frozen = at.getTime();
      else offset = at.getTime() - Date.now();
    },
    advance(ms: number) {
      if (frozen !== null) frozen += ms;
      else offset += ms;
    },
    freeze(at: Date) {
      frozen = at.getTime();
    },
    thaw() {
      if (frozen !== null) offset = frozen - Date.now();
      frozen = null;
    },
  };
  // The ID key is the file `<dataDir>/id-key`, made at the first start as in production, so
  // that another process on this database (test/helpers/processes/import-child.ts) reads the same key.
  const open = () => buildSystem({ databaseUrl, dataDir, scryptLog2N: 10 }, opts.logger ?? testLogger(), { now: () => clock.now });
  const system = await open();
  const reopened: System[] = [];
  return {
    ...system,
    clock,
    dataDir,
    databaseUrl,
    async reopen() {
      const again = await open();
      reopened.push(again);
      return again;
    },
    async close() {
      for (const s of reopened) await s.close();
      await system.close();
      await dropDatabase?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
