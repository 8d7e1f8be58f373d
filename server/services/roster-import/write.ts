/**
 * Writes checked member rows inside the caller's transaction, batch by batch as the file is
 * read: every account, then the cadres' posts and one audit entry. One transaction, so a crash
 * or a kill half-way leaves the database as it was. Rows go in through the driver as
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
  'joined_league_at', 'role', 'branch_id', 'password_hash', 'must_change_password', 'verification_state',
  'created_at', 'updated_at',
];
const POST_COLUMNS = ['person_id', 'org_id', 'title', 'created_at', 'updated_at'];

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
  private readonly now: unknown;
  private cadres = 0;
  private readonly byBranch = new Map<number, { id: number; fullName: string; count: number }>();
  private readonly posts: PendingPost[] = [];
  private sealer: BulkIdSealer | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly t: Transaction,
    private readonly meta: WriteMeta,
  ) {
    this.now = deps.db.fast.timestamp(deps.now());
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

  private async insert(batch: readonly ValidRosterRow[], sealed: Promise<SealedIds>): Promise<void> {
    const { ciphers, hashes } = await sealed;
    const now = this.now;
    const values = batch.map((r, i) => {
      this.count(r, hashes[i]);
      return [
        ciphers[i], hashes[i], maskIdNumber(r.idNumber), r.name, r.gender, r.birthDate, r.phone, r.ethnicity, r.education,
        r.joinedAt, r.role, r.branchId, null, true, 'pending', now, now,
      ];
    });
    await bulkInsert(this.deps.db.sequelize, this.t, 'people', PEOPLE_COLUMNS, values);
    this.written += batch.length;
  }

  /** Writes the posts and the audit entry once every account is in. */
  async finish(): Promise<WriteSummary> {
    await this.settle();
    const branches = [...this.byBranch.values()].sort((a, b) => b.count - a.count || a.id - b.id);
    const summary: WriteSummary = { imported: this.written, members: this.written - this.cadres, cadres: this.cadres, posts: await this.insertPosts(), branches };
    await recordAudit(
      {
        actorPersonId: this.meta.actorPersonId, orgId: this.meta.orgId, action: 'roster.import', targetType: 'organisation', targetId: this.meta.orgId,
        after: { fileName: this.meta.fileName, ...summary, branches: branches.slice(0, 50) },
      },
      this.t,
    );
    return summary;
  }

  private count(r: ValidRosterRow, hash: string): void {
    if (r.role === 'cadre') {
      this.cadres++;
      if (r.postTitle) this.posts.push({ hash, orgId: r.branchId, title: r.postTitle });
    }
    const b = this.byBranch.get(r.branchId);
    if (b) b.count++;
    else this.byBranch.set(r.branchId, { id: r.branchId, fullName: r.branchFullName, count: 1 });
  }

  /** Gives cadres their posts (职务) in their branch; the new accounts' ids are read back by hash. */
  private async insertPosts(): Promise<number> {
    const rows: unknown[][] = [];
    for (let start = 0; start < this.posts.length; start += 1000) {
      const chunk = this.posts.slice(start, start + 1000);
      const byHash = new Map(chunk.map((p) => [p.hash, p]));
      const found = await this.deps.db.sequelize.query<{ id: number; id_hash: string }>(
        'SELECT id, id_hash FROM people WHERE id_hash IN (:hashes)',
        { replacements: { hashes: [...byHash.keys()] }, type: QueryTypes.SELECT, transaction: this.t },
      );
      for (const p of found) {
        const post = byHash.get(p.id_hash)!;
        rows.push([p.id, post.orgId, post.title, this.now, this.now]);
      }
    }
    await bulkInsert(this.deps.db.sequelize, this.t, 'posts', POST_COLUMNS, rows);
    return rows.length;
  }
}
