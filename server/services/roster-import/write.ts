/**
 * Writes a checked member spreadsheet: every account, the cadres' posts and one audit entry,
 * in ONE transaction, so a crash or a kill half-way leaves the database as it was. Rows go in
 * through the driver as multi-row INSERTs (Sequelize's bulkCreate is far too slow for 100,000).
 */
import { QueryTypes, type Transaction } from 'sequelize';
import { bulkInsert } from '../../../models/fast-sql';
import { recordAudit } from '../audit';
import type { ServiceDeps } from '../deps';
import { maskIdNumber } from '../id-number';
import type { ValidRosterRow } from './validate-row';

/** Columns written for each new account; the rest keep their defaults (no verification yet). */
const PEOPLE_COLUMNS = [
  'id_cipher', 'id_hash', 'id_masked', 'name', 'gender', 'birth_date', 'phone', 'ethnicity', 'education',
  'joined_league_at', 'role', 'branch_id', 'password_hash', 'must_change_password', 'verification_state',
  'created_at', 'updated_at',
];
const POST_COLUMNS = ['person_id', 'org_id', 'title', 'created_at', 'updated_at'];
/** Rows per INSERT batch: bounded memory for the encrypted values, one statement per batch. */
const BATCH = 1800;

/** What was written. */
export interface WriteSummary {
  imported: number;
  members: number;
  cadres: number;
  posts: number;
  /** Accounts per branch, most first. */
  branches: Array<{ id: number; fullName: string; count: number }>;
}

/** Who imports what, for the audit entry. */
export interface WriteMeta {
  actorPersonId: number;
  /** The organisation the import is recorded against (the admin's root). */
  orgId: number;
  fileName: string;
}

function summarise(rows: readonly ValidRosterRow[]): Omit<WriteSummary, 'posts'> {
  const byBranch = new Map<number, { id: number; fullName: string; count: number }>();
  let cadres = 0;
  for (const r of rows) {
    if (r.role === 'cadre') cadres++;
    const b = byBranch.get(r.branchId) ?? { id: r.branchId, fullName: r.branchFullName, count: 0 };
    b.count++;
    byBranch.set(r.branchId, b);
  }
  const branches = [...byBranch.values()].sort((a, b) => b.count - a.count || a.id - b.id);
  return { imported: rows.length, members: rows.length - cadres, cadres, branches };
}

/** Gives cadres their posts (职务) in their branch: the new accounts' ids are read back by hash. */
async function insertPosts(deps: ServiceDeps, t: Transaction, rows: readonly ValidRosterRow[], hashes: readonly string[], now: unknown): Promise<number> {
  const wanted = new Map<string, ValidRosterRow>();
  rows.forEach((r, i) => {
    if (r.role === 'cadre' && r.postTitle) wanted.set(hashes[i], r);
  });
  const keys = [...wanted.keys()];
  const posts: unknown[][] = [];
  for (let start = 0; start < keys.length; start += 1000) {
    const found = await deps.db.sequelize.query<{ id: number; id_hash: string }>(
      'SELECT id, id_hash FROM people WHERE id_hash IN (:hashes)',
      { replacements: { hashes: keys.slice(start, start + 1000) }, type: QueryTypes.SELECT, transaction: t },
    );
    for (const p of found) {
      const r = wanted.get(p.id_hash)!;
      posts.push([p.id, r.branchId, r.postTitle, now, now]);
    }
  }
  await bulkInsert(deps.db.sequelize, t, 'posts', POST_COLUMNS, posts);
  return posts.length;
}

/**
 * Writes `rows` (already checked, none registered: `hashes[i]` is row i's lookup hash) as new
 * accounts with R3's initial password: nothing is hashed, `password_hash` stays null and the
 * password must be changed at first login. `onWritten` gets the number of accounts written so far.
 */
export async function writeRoster(
  deps: ServiceDeps,
  rows: readonly ValidRosterRow[],
  hashes: readonly string[],
  meta: WriteMeta,
  onWritten?: (done: number) => void | Promise<void>,
): Promise<WriteSummary> {
  const { db, vault } = deps;
  const now = db.fast.timestamp(deps.now());
  return db.transaction(async (t) => {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const ciphers = vault.encryptMany(batch.map((r) => r.idNumber));
      const values = batch.map((r, i) => [
        ciphers[i], hashes[start + i], maskIdNumber(r.idNumber), r.name, r.gender, r.birthDate, r.phone, r.ethnicity, r.education,
        r.joinedAt, r.role, r.branchId, null, true, 'pending', now, now,
      ]);
      await bulkInsert(db.sequelize, t, 'people', PEOPLE_COLUMNS, values);
      await onWritten?.(start + batch.length);
    }
    const posts = await insertPosts(deps, t, rows, hashes, now);
    const summary = { ...summarise(rows), posts };
    await recordAudit(
      {
        actorPersonId: meta.actorPersonId, orgId: meta.orgId, action: 'roster.import', targetType: 'organisation', targetId: meta.orgId,
        after: { fileName: meta.fileName, ...summary, branches: summary.branches.slice(0, 50) },
      },
      t,
    );
    return summary;
  });
}
