import { QueryTypes, Transaction } from 'sequelize';
import { Organisation, type OrgKind } from '../../../../models/Organisation';
import { ForbiddenError } from '../../../errors';
import type { Admins } from '../admins';
import type { BackgroundJobs } from '../../platform/background-jobs';
import type { ServiceDeps } from '../../deps';
import { underPathPattern } from '../../../../models/fast-sql';
import { everyOrgSql, rollupSql, type OrgProgressRow, type RollupRow } from './progress-sql';
import { foldRollup, incompleteEntry } from './rollup';
import { progressChartPng } from './chart';
import { progressSheet, progressSheetName } from './sheet';
import type { OrgProgress, ProgressOrg, ProgressView } from './view';

export type { OrgProgress, ProgressOrg, ProgressView } from './view';

declare module '../../messaging/notices' {
  interface NoticeKinds {
    /** To the admin who asked: the entry-progress spreadsheet could not be made (R17). */
    'progress.export_failed': { jobId: number; interrupted: boolean };
  }
}

/** Incomplete organisations shown per page. */
export const PROGRESS_PAGE_SIZE = 10;
/** Subtrees of up to this many organisations are exported at once; larger ones by a background job. */
export const INLINE_EXPORT_MAX = 2000;
/** The same answer for an organisation that does not exist and one out of reach: neither is told apart. */
const REFUSED = '您不是该组织或其上级组织的管理员，无权查看其录入进度';

/** What asking for the spreadsheet gives: the file, or the background job making it. */
export type ProgressExport = { file: { name: string; data: Buffer }; orgs: number } | { jobId: number; orgs: number };

/**
 * Entry progress (录入进度, R16-R17) of an admin's subtree: organisations counted complete or not
 * by kind, the incomplete ones with the reason, each organisation below with its share done,
 * and the whole list as a spreadsheet. Counted in SQL from the counts each organisation keeps
 * (progress-sql.ts), read in one snapshot on a connection of its own.
 */
export class EntryProgress {
  /** Subtrees larger than this are exported by a background job (tests lower it). */
  inlineExportMax = INLINE_EXPORT_MAX;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly jobs: BackgroundJobs,
    private readonly admins: Admins,
  ) {}

  /** The organisations an admin may look from: those it administers, any below another dropped. */
  async rootsOf(personId: number): Promise<ProgressOrg[]> {
    const orgs = await this.admins.orgsOf(personId);
    return orgs.filter((o) => !orgs.some((other) => other !== o && o.path.startsWith(other.path))).map(orgOf);
  }

  /** The progress of `orgId`'s subtree with one page (from 0) of its incomplete organisations. */
  async view(actorPersonId: number, orgId: number, page = 0): Promise<ProgressView> {
    const root = await this.reachable(actorPersonId, orgId);
    return this.snapshot(async (t) => {
      const sql = rollupSql(this.deps.db.dialect);
      const rollup = async (p: number) =>
        foldRollup(
          await this.select<RollupRow>(
            sql,
            { ...this.subtreeParams(root), childAt: root.path.length + 1, limit: PROGRESS_PAGE_SIZE, offset: p * PROGRESS_PAGE_SIZE },
            t,
          ),
        );
      let at = Math.max(0, Math.floor(page));
      let rolled = await rollup(at);
      const incompleteTotal = rolled.total - rolled.complete;
      const pages = Math.max(1, Math.ceil(incompleteTotal / PROGRESS_PAGE_SIZE));
      // A page past the end (organisations were completed since): the last one instead.
      if (at >= pages) rolled = await rollup((at = pages - 1));
      const names = await this.names([...rolled.children.map((c) => c.id), ...rolled.page.map((r) => r.id)], t);
      return {
        org: orgOf(root),
        at: this.deps.now(),
        total: rolled.total,
        complete: rolled.complete,
        kinds: rolled.kinds,
        children: rolled.children.map((c) => ({ ...c, ...names.get(c.id)! })),
        incomplete: { total: incompleteTotal, page: at, pages, rows: rolled.page.map((r) => ({ ...r, fullName: names.get(r.id)!.fullName })) },
      };
    });
  }

  /** The view and its chart (PNG), none when nothing lies below the organisation. */
  async chart(actorPersonId: number, orgId: number): Promise<{ view: ProgressView; png: Buffer | null }> {
    const view = await this.view(actorPersonId, orgId);
    return { view, png: view.children.length ? await progressChartPng(view) : null };
  }

  /** Every organisation of the subtree, ordered by path (a subtree's organisations together). */
  async everyOrg(actorPersonId: number, orgId: number): Promise<{ org: ProgressOrg; rows: OrgProgress[] }> {
    const root = await this.reachable(actorPersonId, orgId);
    const rows = await this.snapshot((t) => this.select<OrgProgressRow>(everyOrgSql(this.deps.db.dialect), this.subtreeParams(root), t));
    return {
      org: orgOf(root),
      rows: rows.map((r) => ({
        ...incompleteEntry(Number(r.id), r.kind as OrgKind, Number(r.people), Number(r.bm), Number(r.bc)),
        fullName: r.full_name,
        complete: Number(r.complete) === 1,
      })),
    };
  }

  /** The spreadsheet of the whole list; `onProgress` hears how many rows are written. */
  async sheet(actorPersonId: number, orgId: number, onProgress?: (done: number, total: number) => void): Promise<{ name: string; data: Buffer; orgs: number }> {
    const { org, rows } = await this.everyOrg(actorPersonId, orgId);
    const at = this.deps.now();
    return { name: progressSheetName(org, at), data: await progressSheet(org, rows, at, onProgress), orgs: rows.length };
  }

  /**
   * The spreadsheet at once for a subtree of up to {@link inlineExportMax} organisations;
   * a larger one is made by a background job that reports in `chat` (one per update: a
   * redelivered update queues nothing new).
   */
  async export(actorPersonId: number, orgId: number, chat: { channel: string; chatId: string; dedupeKey?: string }): Promise<ProgressExport> {
    const root = await this.reachable(actorPersonId, orgId);
    const orgs = await this.subtreeSize(root);
    if (orgs <= this.inlineExportMax) {
      const { name, data } = await this.sheet(actorPersonId, orgId);
      return { file: { name, data }, orgs };
    }
    const queued = await this.jobs.enqueue({
      kind: 'progress-export',
      actorPersonId,
      channel: chat.channel,
      chatId: chat.chatId,
      title: `录入进度表：${root.shortName}`,
      params: { orgId },
      dedupeKey: chat.dedupeKey,
    });
    return { jobId: queued.id, orgs };
  }

  /** The organisation, when the actor administers it or one above it; else the one refusal. */
  private async reachable(actorPersonId: number, orgId: number): Promise<Organisation> {
    const org = Number.isSafeInteger(orgId) && orgId > 0 && (await this.admins.canManage(actorPersonId, orgId)) ? await Organisation.findByPk(orgId) : null;
    if (!org) throw new ForbiddenError(REFUSED);
    return org;
  }

  /** The subtree's path pattern: the parameter of progress-sql.ts' queries. */
  private subtreeParams(root: Organisation): { path: string } {
    return { path: underPathPattern(this.deps.db.dialect, root.path) };
  }

  /**
   * How many organisations the subtree holds. On SQLite as a range of the path index (its
   * LIKE ignores case, so it cannot use the index): the paths starting with `/1/5/` are those
   * from `/1/5/` up to `/1/50` ('0' follows '/'), compared bytewise.
   */
  private async subtreeSize(root: Organisation, t?: Transaction): Promise<number> {
    const [{ n }] =
      this.deps.db.dialect === 'sqlite'
        ? await this.select<{ n: number }>('SELECT COUNT(*) AS n FROM organisations WHERE path >= ? AND path < ?', [root.path, `${root.path.slice(0, -1)}0`], t)
        : await this.select<{ n: string }>('SELECT COUNT(*) AS n FROM organisations WHERE path LIKE ?', [`${root.path}%`], t);
    return Number(n);
  }

  private async names(ids: number[], t: Transaction): Promise<Map<number, Omit<ProgressOrg, 'id'>>> {
    if (!ids.length) return new Map();
    const orgs = await Organisation.findAll({ where: { id: [...new Set(ids)] }, attributes: ['id', 'fullName', 'shortName', 'kind'], transaction: t });
    return new Map(orgs.map((o) => [o.id, { fullName: o.fullName, shortName: o.shortName, kind: o.kind }]));
  }

  private select<T>(sql: string, replacements: unknown[] | Record<string, unknown>, t?: Transaction): Promise<T[]> {
    return this.deps.db.sequelize.query(sql, { replacements, type: QueryTypes.SELECT, raw: true, transaction: t }) as Promise<T[]>;
  }

  /**
   * Reads in one snapshot on a connection of its own (SQLite: a deferred transaction, which
   * in WAL mode never holds up a writer; PostgreSQL: repeatable read). Never writes: it does
   * not take the write lock.
   */
  private snapshot<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    const { sequelize } = this.deps.db;
    return this.deps.db.dialect === 'sqlite'
      ? sequelize.transaction({ type: Transaction.TYPES.DEFERRED }, fn)
      : sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ }, fn);
  }
}

const orgOf = (o: Organisation): ProgressOrg => ({ id: o.id, fullName: o.fullName, shortName: o.shortName, kind: o.kind });
