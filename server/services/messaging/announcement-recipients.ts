import { QueryTypes, type Transaction } from 'sequelize';
import type { AnnouncementAudience } from '../../../models/Announcement';
import type { OrgKind } from '../../../models/Organisation';
import { underPath, underPathPattern } from '../../../models/fast-sql';
import type { Database } from '../../../models';

/** Whom an announcement is for: the people of a subtree, all or its cadres, of every kind of organisation or one. */
export interface AudienceSpec {
  /** The path of the organisation at the top (`/1/5/`): it and every organisation below it. */
  path: string;
  audience: AnnouncementAudience;
  orgKind: OrgKind | null;
}

/**
 * The people of the subtree's organisations (of one kind, when given): members of its
 * branches (not applicants: they are not members yet), and its cadres — everyone holding a
 * post or administering an organisation there. Nobody else: the organisations are found by
 * their path under the top one, so nobody outside the subtree is ever selected.
 */
function audienceSql(dialect: string, spec: AudienceSpec): string {
  // Joined from the subtree's organisations (a range of the path index) to their people by
  // their indexes: `people.branch_id IN (…)` let PostgreSQL read the whole people table.
  const within = (o: string) => `${underPath(dialect, `${o}.path`, ':path')}${spec.orgKind ? ` AND ${o}.kind = :kind` : ''}`;
  const cadres = `SELECT t.person_id AS id FROM organisations o JOIN posts t ON t.org_id = o.id WHERE ${within('o')}
    UNION SELECT a.person_id AS id FROM organisations o JOIN admins a ON a.org_id = o.id WHERE ${within('o')}`;
  if (spec.audience === 'cadres') return cadres;
  return `SELECT p.id AS id FROM organisations o JOIN people p ON p.branch_id = o.id WHERE ${within('o')} AND p.role <> 'applicant' UNION ${cadres}`;
}

/** Rows an INSERT wrote, as Sequelize reports them on either database. */
function inserted(meta: unknown): number {
  if (typeof meta === 'number') return meta;
  const m = meta as { changes?: number; rowCount?: number } | null;
  return Number(m?.changes ?? m?.rowCount ?? 0);
}

/**
 * The statements writing a subtree's audience into `announcement_recipients` under one
 * announcement (`:a`). Each starts from the subtree's organisations (a range on their path)
 * and joins down through the index by organisation (people by branch, posts and admins by
 * organisation): the work is the subtree's, never a pass over all people. Members go in
 * first (each person once: one branch each), then the cadres, skipping those already in.
 */
function snapshotSql(dialect: string, spec: AudienceSpec): string[] {
  const orgs = `${underPath(dialect, 'o.path', ':path')}${spec.orgKind ? ' AND o.kind = :kind' : ''}`;
  const into = 'INSERT INTO announcement_recipients (announcement_id, person_id)';
  const cadres = [
    `${into} SELECT :a, t.person_id FROM organisations o JOIN posts t ON t.org_id = o.id WHERE ${orgs} ON CONFLICT (announcement_id, person_id) DO NOTHING`,
    `${into} SELECT :a, d.person_id FROM organisations o JOIN admins d ON d.org_id = o.id WHERE ${orgs} ON CONFLICT (announcement_id, person_id) DO NOTHING`,
  ];
  if (spec.audience === 'cadres') return cadres;
  return [`${into} SELECT :a, p.id FROM organisations o JOIN people p ON p.branch_id = o.id WHERE ${orgs} AND p.role <> 'applicant'`, ...cadres];
}

/** An announcement's recipients: counted (a preview), or written as its snapshot. */
export class AnnouncementRecipients {
  constructor(private readonly db: Database) {}

  async count(spec: AudienceSpec): Promise<number> {
    const [row] = await this.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (${audienceSql(this.db.dialect, spec)}) x`, spec);
    return Number(row?.n ?? 0);
  }

  /** How many of them are logged in to at least one chat (can be told now). */
  async reachable(spec: AudienceSpec): Promise<number> {
    const [row] = await this.query<{ n: number }>(
      `SELECT COUNT(DISTINCT b.person_id) AS n FROM chat_bindings b WHERE b.person_id IN (${audienceSql(this.db.dialect, spec)})`,
      spec,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Writes the recipients of announcement `announcementId` as its snapshot, each person once,
   * inside `t`; returns how many. Who is in it is decided here, once: see Announcements.
   */
  async snapshot(announcementId: number, spec: AudienceSpec, t: Transaction): Promise<number> {
    let n = 0;
    for (const sql of snapshotSql(this.db.dialect, spec)) {
      const [, meta] = await this.db.sequelize.query(sql, {
        transaction: t,
        replacements: { a: announcementId, path: underPathPattern(this.db.dialect, spec.path), kind: spec.orgKind ?? '' },
      });
      n += inserted(meta);
    }
    return n;
  }

  /** Kinds of organisation found in the subtree (what a scope to one kind can choose from). */
  async kindsUnder(path: string): Promise<OrgKind[]> {
    const rows = await this.query<{ kind: OrgKind }>(`SELECT DISTINCT kind FROM organisations WHERE ${underPath(this.db.dialect, 'path', ':path')}`, {
      path,
      audience: 'all',
      orgKind: null,
    });
    return rows.map((r) => r.kind);
  }

  private query<T extends object>(sql: string, spec: AudienceSpec, more: Record<string, unknown> = {}, t?: Transaction): Promise<T[]> {
    return this.db.sequelize.query<T>(sql, {
      transaction: t,
      replacements: { path: underPathPattern(this.db.dialect, spec.path), kind: spec.orgKind ?? '', ...more },
      type: QueryTypes.SELECT,
    });
  }
}
