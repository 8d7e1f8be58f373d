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
  // their indexes: \`people.branch_id IN (…)\` let PostgreSQL read the whole people table.
  const within = (o: string) => `${underPath(dialect, `${o}.path`, ':path')}${spec.orgKind ? ` AND ${o}.kind = :kind` : ''}`;
  const cadres = `SELECT t.person_id AS id FROM organisations o JOIN posts t ON t.org_id = o.id WHERE ${within('o')}
    UNION SELECT a.person_id AS id FROM organisations o JOIN admins a ON a.org_id = o.id WHERE ${within('o')}`;
  if (spec.audience === 'cadres') return cadres;
  return `SELECT p.id AS id FROM organisations o JOIN people p ON p.branch_id = o.id WHERE ${within('o')} AND p.role <> 'applicant' UNION ${cadres}`;
}

/** Reads an announcement's recipients: counted, or a page of ids in id order. */
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

  /** The next `limit` recipients after `cursor` (a person id), in id order. */
  async page(spec: AudienceSpec, cursor: number, limit: number, t?: Transaction): Promise<number[]> {
    const rows = await this.query<{ id: number }>(
      `SELECT x.id FROM (${audienceSql(this.db.dialect, spec)}) x WHERE x.id > :cursor ORDER BY x.id LIMIT :limit`,
      spec,
      { cursor, limit },
      t,
    );
    return rows.map((r) => Number(r.id));
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
