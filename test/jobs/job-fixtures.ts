/** Fixtures of the background job worker tests: a subtree wide enough to be exported in the background, and workers' database sessions. */
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { Organisation } from '../../models';
import { normaliseOrgName } from '../../server/services/organisations/org-names';
import type { System } from '../../server/system';
import { makeAdmin } from '../helpers/fixtures/admin-fixtures';
import { buildOrg } from '../helpers/fixtures/factories';
import { until } from '../helpers/wait';

/** A county leading body with `branches` branches right below it (written in one insert) and an admin of it. */
export async function wideSubtree(sys: System, tag: string, branches: number) {
  const root = await buildOrg(sys, { fullName: `共青团${tag}县委员会`, shortName: `${tag}县团委`, kind: 'leading_body' });
  const rows = Array.from({ length: branches }, (_, i) => {
    const fullName = `共青团${tag}县第${i + 1}团支部`;
    return {
      parentId: root.id,
      fullName,
      nameKey: normaliseOrgName(fullName),
      shortName: `${tag}第${i + 1}支部`,
      kind: 'branch' as const,
      industry: null,
      schoolCode: null,
      adminCode: crypto.randomBytes(4).toString('hex').toUpperCase(),
      depth: root.depth + 1,
    };
  });
  await sys.db.transaction((t) => Organisation.bulkCreate(rows, { transaction: t }));
  // Paths name the organisation's own id, known once inserted.
  await sys.db.sequelize.query(`UPDATE organisations SET path = ? || CAST(id AS TEXT) || '/' WHERE parent_id = ?`, { replacements: [root.path, root.id] });
  const admin = await makeAdmin(sys, root.id, '孙导出');
  return { root, admin, orgs: branches + 1 };
}

/**
 * PostgreSQL sessions on the test database beyond the test system's own pool: a worker's,
 * until it has closed them. (SQLite cannot be watched this way: a file closed by one thread
 * stays open in the process for SQLite to reuse, and a thread's files are closed when it ends.)
 */
async function sessionsBeyondPool(sys: System): Promise<number> {
  const [{ n }] = await sys.db.sequelize.query<{ n: string }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database()', {
    type: QueryTypes.SELECT,
  });
  const pool = (sys.db.sequelize.connectionManager as unknown as { pool: { size: number } }).pool;
  return Number(n) - pool.size;
}

/** Waits until no worker holds a session on the database (PostgreSQL; at once on SQLite); fails after `timeoutMs`, saying how many are left. */
export async function workerSessionsClosed(sys: System, timeoutMs = 10_000): Promise<void> {
  if (sys.db.dialect !== 'postgres') return;
  const left = () => sessionsBeyondPool(sys);
  await until(async () => (await left()) <= 0, {
    what: 'worker sessions closed',
    timeoutMs,
    intervalMs: 50,
    seen: async () => `${await left()} sessions beyond the pool`,
  });
}
