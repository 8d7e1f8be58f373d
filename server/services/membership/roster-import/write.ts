/**
 * Writing checked member rows. While the file is read, each batch of valid rows is sealed (ID
 * numbers encrypted and hashed) and encoded as the compact JSON the insert reads back ({@link PreparedRoster}); once the whole file is known to be clean, {@link writeRoster}
 * inserts it all in one short transaction: accounts, cadres' posts, one audit entry. So the
 * database is written only after the file has been read (on SQLite, reading holds no write
 * lock: other users' writes go on meanwhile), and a crash or a kill leaves it as it was.
 */
import { QueryTypes, type Transaction } from 'sequelize';
import { bulkInsert, encodeJsonRows, insertJsonRows } from '../../../../models/fast-sql';
import { recordAudit } from '../../audit/audit';
import type { ServiceDeps } from '../../deps';
import { maskIdNumber } from '../../../lib/id-number';
import type { ValidRosterRow } from './rows/validate-row';

/** Columns written for each new account; the rest keep their defaults (no verification yet). */
const PEOPLE_COLUMNS = [
  'id_cipher',
  'id_hash',
  'id_masked',
  'name',
  'gender',
  'birth_date',
  'phone',
  'ethnicity',
  'education',
  'joined_league_at',
  'role',
  'branch_id',
];
/** Where the JSON text is not what the column holds (PostgreSQL casts; SQLite converts by affinity). */
const PEOPLE_CASTS = { branch_id: 'integer' };
const POST_COLUMNS = ['person_id', 'org_id', 'title'];
/** Hashes looked up per statement when the cadres' new ids are read back. */
const POST_LOOKUP = 5000;

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

interface PendingPost {
  hash: string;
  orgId: number;
  title: string;
}

/** Rows are kept in 16 buckets by the first hex digit of their ID hash, each written in hash order. */
const BUCKETS = 16;
/** Index of `id_hash` in PEOPLE_COLUMNS: the order rows are inserted in. */
const HASH_COLUMN = 1;

/**
 * Valid rows of a file, sealed and encoded batch by batch as they are read: JSON bytes, not
 * objects, so 100,000 rows wait in about 25 MB outside the JavaScript heap. (Sealing on a
 * thread of its own saved 0.45 s of a 4.4 s import, measured: not worth a thread now that an
 * import runs in the background.) Rows are kept by the ID hash's first digit and written in
 * hash order: the unique index on the hash then grows in order, and inserting 100,000 rows
 * takes about half the time it takes in file order (measured).
 */
export class PreparedRoster {
  private readonly buckets: Buffer[][] = Array.from({ length: BUCKETS }, () => []);
  readonly posts: PendingPost[] = [];
  count = 0;
  private cadres = 0;
  private readonly byBranch = new Map<number, { id: number; fullName: string; count: number }>();

  constructor(private readonly deps: Pick<ServiceDeps, 'vault'>) {}

  /** Seals (IdVault.sealMany) and encodes a batch of valid rows into the hash buckets. */
  add(batch: readonly ValidRosterRow[]): void {
    if (!batch.length) return;
    const { ciphers, hashes } = this.deps.vault.sealMany(batch.map((r) => r.idNumber));
    const byBucket: unknown[][][] = Array.from({ length: BUCKETS }, () => []);
    batch.forEach((r, i) => {
      this.tally(r, hashes[i]);
      byBucket[parseInt(hashes[i][0], 16)].push([
        ciphers[i],
        hashes[i],
        maskIdNumber(r.idNumber),
        r.name,
        r.gender,
        r.birthDate,
        r.phone,
        r.ethnicity,
        r.education,
        r.joinedAt,
        r.role,
        r.branchId,
      ]);
    });
    byBucket.forEach((rows, b) => rows.length && this.buckets[b].push(encodeJsonRows(rows)));
    this.count += batch.length;
  }

  /** The rows, bucket by bucket in hash order, each bucket one JSON array. */
  *jsonBuckets(): Generator<Buffer> {
    for (const parts of this.buckets) {
      if (!parts.length) continue;
      const pieces: Buffer[] = [Buffer.from('[')];
      parts.forEach((p, i) => pieces.push(...(i ? [Buffer.from(',')] : []), p.subarray(1, p.length - 1)));
      pieces.push(Buffer.from(']'));
      yield Buffer.concat(pieces);
    }
  }

  /** What will have been written. */
  summary(): WriteSummary {
    const branches = [...this.byBranch.values()].sort((a, b) => b.count - a.count || a.id - b.id);
    return { imported: this.count, members: this.count - this.cadres, cadres: this.cadres, posts: this.posts.length, branches };
  }

  private tally(r: ValidRosterRow, hash: string): void {
    if (r.role === 'cadre') {
      this.cadres++;
      if (r.postTitle) this.posts.push({ hash, orgId: r.branchId, title: r.postTitle });
    }
    const b = this.byBranch.get(r.branchId);
    if (b) b.count++;
    else this.byBranch.set(r.branchId, { id: r.branchId, fullName: r.branchFullName, count: 1 });
  }
}

/**
 * Inserts a prepared roster in the caller's transaction: the accounts with R3's initial
 * password (no hash yet, a change forced at first login), the cadres' posts, one audit entry.
 * R4 is the unique index on `id_hash`: a registered ID number fails the insert and the caller
 * rolls back. Rows go in through the driver as JSON (Sequelize's bulkCreate is far too slow).
 */
export async function writeRoster(deps: ServiceDeps, t: Transaction, prepared: PreparedRoster, meta: WriteMeta): Promise<WriteSummary> {
  const { sequelize, fast } = deps.db;
  const now = fast.timestamp(deps.now());
  const created = { created_at: now, updated_at: now };
  const newAccount = { password_hash: null, must_change_password: true, verification_state: 'pending', ...created };
  for (const json of prepared.jsonBuckets()) {
    await insertJsonRows(sequelize, t, 'people', PEOPLE_COLUMNS, json, { same: newAccount, casts: PEOPLE_CASTS, orderBy: HASH_COLUMN });
  }
  for (let start = 0; start < prepared.posts.length; start += POST_LOOKUP) {
    const posts = prepared.posts.slice(start, start + POST_LOOKUP);
    const byHash = new Map(posts.map((p) => [p.hash, p]));
    const found = await sequelize.query<{ id: number; id_hash: string }>('SELECT id, id_hash FROM people WHERE id_hash IN (:hashes)', {
      replacements: { hashes: [...byHash.keys()] },
      type: QueryTypes.SELECT,
      transaction: t,
    });
    const rows = found.map((p) => {
      const post = byHash.get(p.id_hash)!;
      return [p.id, post.orgId, post.title];
    });
    await bulkInsert(sequelize, t, 'posts', POST_COLUMNS, rows, created);
  }
  const summary = prepared.summary();
  await recordAudit(
    {
      actorPersonId: meta.actorPersonId,
      orgId: meta.orgId,
      action: 'roster.import',
      targetType: 'organisation',
      targetId: meta.orgId,
      after: { fileName: meta.fileName, ...summary, branches: summary.branches.slice(0, 50) },
    },
    t,
  );
  return summary;
}
