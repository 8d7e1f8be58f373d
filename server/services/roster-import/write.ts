/**
 * Writes checked member rows inside the caller's transaction, batch by batch as the file is
 * read: each batch's accounts and its cadres' posts, then one audit entry. One transaction, so
 * a crash or a kill half-way leaves the database as it was. Rows go in through the driver as
 * multi-row INSERTs (Sequelize's bulkCreate is far too slow for 100,000); a batch is inserted
 * while the next one is sealed and the one after it read.
 */
import { QueryTypes, type Transaction } from 'sequelize';
import { bulkInsert } from '../../../models/fast-sql';
import type { BulkIdSealer, SealedIds } from '../../security/id-bulk-sealer';
import { recordAudit } from '../audit';
import type { ServiceDeps } from '../deps';
import { maskIdNumber } from '../id-number';
import type { ValidRosterRow } from './validate-row';

/** Columns written for each new account; the rest keep their defaults (no verification yet). */
const PEOPLE_COLUMNS = [
  'id_cipher', 'id_hash', 'id_masked', 'name', 'gender', 'birth_date', 'phone', 'ethnicity', 'education',
  'joined_league_at', 'role', 'branch_id',
];
const POST_COLUMNS = ['person_id', 'org_id', 'title'];

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

/**
 * New accounts with R3's initial password: nothing is hashed, `password_hash` stays null and
 * the password must be changed at first login. R4 is the unique index on `id_hash`: a batch
 * holding a registered ID number fails, and the caller rolls back.
 */
export class RosterWriter {
  /** Accounts inserted so far (in the open transaction). */
  written = 0;
  /** The last batch's insert; each insert starts once the one before it is done. */
  private inserting: Promise<void> = Promise.resolve();
  private failure: unknown;
  /** Columns every new account has alike: R3's initial password (no hash yet), unverified, created now. */
  private readonly newAccount: Record<string, unknown>;
  /** Timestamps of the posts. */
  private readonly created: Record<string, unknown>;
  private cadres = 0;
  private readonly byBranch = new Map<number, { id: number; fullName: string; count: number }>();
  private postCount = 0;
  private sealer: BulkIdSealer | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly t: Transaction,
    private readonly meta: WriteMeta,
  ) {
    const now = deps.db.fast.timestamp(deps.now());
    this.created = { created_at: now, updated_at: now };
    this.newAccount = { password_hash: null, must_change_password: true, verification_state: 'pending', ...this.created };
  }

  /**
   * Queues `batch` and returns once the batch before it is in (a failure so far is thrown
   * here). Three stages run side by side: the caller reads the next batch, this one's ID
   * numbers are sealed on a worker thread, and the one before is inserted by the driver.
   */
  async add(batch: readonly ValidRosterRow[]): Promise<void> {
    this.sealer ??= this.deps.vault.bulkSealer();
    const sealed = this.sealer.seal(batch.map((r) => r.idNumber));
    sealed.catch(() => undefined); // a failure is thrown by the insert that waits for it
    const previous = this.inserting;
    this.inserting = previous
      .then(() => (this.failure ? undefined : this.insert(batch, sealed)))
      .catch((err: unknown) => void (this.failure ??= err));
    await previous;
    if (this.failure) throw this.failure;
  }

  /** Waits for every queued batch; throws the first failure, if any. */
  async settle(): Promise<void> {
    await this.inserting;
    if (this.failure) throw this.failure;
  }

  /** Stops the sealing worker; call it however the transaction ends. */
  async close(): Promise<void> {
    await this.inserting;
    await this.sealer?.close();
  }

  /** Inserts a batch's accounts, then its cadres' posts. */
  private async insert(batch: readonly ValidRosterRow[], sealed: Promise<SealedIds>): Promise<void> {
    const { ciphers, hashes } = await sealed;
    const posts: PendingPost[] = [];
    const values = batch.map((r, i) => {
      this.count(r, hashes[i], posts);
      return [
        ciphers[i], hashes[i], maskIdNumber(r.idNumber), r.name, r.gender, r.birthDate, r.phone, r.ethnicity, r.education,
        r.joinedAt, r.role, r.branchId,
      ];
    });
    await bulkInsert(this.deps.db.sequelize, this.t, 'people', PEOPLE_COLUMNS, values, this.newAccount);
    this.written += batch.length;
    if (posts.length > 0) this.postCount += await this.insertPosts(posts);
  }

  /** Writes the audit entry once every account is in. */
  async finish(): Promise<WriteSummary> {
    await this.settle();
    const branches = [...this.byBranch.values()].sort((a, b) => b.count - a.count || a.id - b.id);
    const summary: WriteSummary = { imported: this.written, members: this.written - this.cadres, cadres: this.cadres, posts: this.postCount, branches };
    await recordAudit(
      {
        actorPersonId: this.meta.actorPersonId, orgId: this.meta.orgId, action: 'roster.import', targetType: 'organisation', targetId: this.meta.orgId,
        after: { fileName: this.meta.fileName, ...summary, branches: branches.slice(0, 50) },
      },
      this.t,
    );
    return summary;
  }

  private count(r: ValidRosterRow, hash: string, posts: PendingPost[]): void {
    if (r.role === 'cadre') {
      this.cadres++;
      if (r.postTitle) posts.push({ hash, orgId: r.branchId, title: r.postTitle });
    }
    const b = this.byBranch.get(r.branchId);
    if (b) b.count++;
    else this.byBranch.set(r.branchId, { id: r.branchId, fullName: r.branchFullName, count: 1 });
  }

  /** Gives cadres their posts (职务) in their branch; the new accounts' ids are read back by hash. */
  private async insertPosts(posts: readonly PendingPost[]): Promise<number> {
    const byHash = new Map(posts.map((p) => [p.hash, p]));
    const found = await this.deps.db.sequelize.query<{ id: number; id_hash: string }>(
      'SELECT id, id_hash FROM people WHERE id_hash IN (:hashes)',
      { replacements: { hashes: [...byHash.keys()] }, type: QueryTypes.SELECT, transaction: this.t },
    );
    const rows = found.map((p) => {
      const post = byHash.get(p.id_hash)!;
      return [p.id, post.orgId, post.title];
    });
    await bulkInsert(this.deps.db.sequelize, this.t, 'posts', POST_COLUMNS, rows, this.created);
    return rows.length;
  }
}
