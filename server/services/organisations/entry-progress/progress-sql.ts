/**
 * The SQL of entry progress (R17): every organisation of a subtree with the people it counts
 * and how many of them are incomplete (R16). Who counts is rules.ts' doc comment; the counts
 * are kept on each organisation by the database on every write of people and posts (migration
 * 20261222090000-entry-progress-counters), so a subtree's progress reads its organisations by
 * the path index and never its people: a province's 3,000,000 people took 24 s to count.
 *
 * - `entry_members*`: a branch's members and cadres (people.branch_id, roles 团员 and 团干部),
 *   each told as 团员 or 团干部 by their 政治面貌; counted only when it is a branch;
 * - `entry_holders*`: post holders not already among those (a branch's own cadre holding its
 *   post is there once), each once per organisation however many posts: all told as 团干部.
 *
 * Written in the common subset of SQLite and PostgreSQL but for the path match and the one
 * string function that finds a child's id in a path. Named replacements: `:path` (as
 * underPathPattern makes it) and, for the roll-up, `:childAt` (the root's path length + 1),
 * `:limit`, `:offset`.
 */
import { ORG_KINDS } from '../../../../models/Organisation';
import { underPath } from '../../../../models/fast-sql';
import { MIN_PEOPLE } from './rules';

const BRANCH = `o.kind = 'branch'`;
const PEOPLE = `(CASE WHEN ${BRANCH} THEN o.entry_members ELSE 0 END + o.entry_holders)`;
const BM = `(CASE WHEN ${BRANCH} THEN o.entry_members_bad_member ELSE 0 END)`;
const BC = `(CASE WHEN ${BRANCH} THEN o.entry_members_bad_cadre ELSE 0 END + o.entry_holders_bad)`;
const NEEDED = `CASE o.kind ${ORG_KINDS.map((k) => `WHEN '${k}' THEN ${MIN_PEOPLE[k]}`).join(' ')} END`;
/** 1 when the organisation `o` has completed entry (R17), else 0. */
const COMPLETE = `CASE WHEN ${BM} = 0 AND ${BC} = 0 AND ${PEOPLE} >= ${NEEDED} THEN 1 ELSE 0 END`;

/** The id of the root's child (in `o.path`) that an organisation lies under; 0 or null for the root itself. */
function childIdSql(dialect: string): string {
  return dialect === 'postgres' ? `CAST(NULLIF(split_part(substr(o.path, :childAt), '/', 1), '') AS INTEGER)` : `CAST(substr(o.path, :childAt) AS INTEGER)`; // SQLite reads the leading digits of '5/9/'
}

/** The subtree's organisations `o`, a range of the path index. */
const subtree = (dialect: string) => `FROM organisations o WHERE ${underPath(dialect, 'o.path', ':path')}`;

/** One row of {@link rollupSql}: a group count (`part` 'group') or an incomplete organisation of the page ('page'). */
export interface RollupRow {
  part: 'group' | 'page';
  kind: string;
  child: number | string | null;
  n: number | string | null;
  complete: number | string | null;
  id: number | null;
  people: number | string | null;
  bm: number | string | null;
  bc: number | string | null;
}

/**
 * The roll-up and one page of incomplete organisations in one statement: organisations counted
 * by kind and by the root's child they lie under (a handful of groups: nothing to spill), then
 * the page, in path order (a subtree's organisations together) straight from the path index.
 */
export function rollupSql(dialect: string): string {
  return `SELECT 'group' AS part, g.kind, g.child, COUNT(*) AS n, SUM(g.complete) AS complete,
  CAST(NULL AS INTEGER) AS id, CAST(NULL AS INTEGER) AS people, CAST(NULL AS INTEGER) AS bm, CAST(NULL AS INTEGER) AS bc
FROM (SELECT o.kind, ${childIdSql(dialect)} AS child, ${COMPLETE} AS complete ${subtree(dialect)}) g GROUP BY g.kind, g.child
UNION ALL
SELECT * FROM (
  SELECT 'page' AS part, o.kind, CAST(NULL AS INTEGER) AS child, CAST(NULL AS INTEGER) AS n, 0 AS complete, o.id, ${PEOPLE} AS people, ${BM} AS bm, ${BC} AS bc
  ${subtree(dialect)} AND ${COMPLETE} = 0 ORDER BY o.path LIMIT :limit OFFSET :offset) page`;
}

/** One organisation of {@link everyOrgSql}. */
export interface OrgProgressRow {
  id: number;
  full_name: string;
  kind: string;
  people: number | string;
  bm: number | string;
  bc: number | string;
  complete: number | string;
}

/** Every organisation of the subtree with its name, ordered by path (the spreadsheet), in the path index's order. */
export function everyOrgSql(dialect: string): string {
  return `SELECT o.id, o.full_name, o.kind, ${PEOPLE} AS people, ${BM} AS bm, ${BC} AS bc, ${COMPLETE} AS complete ${subtree(dialect)} ORDER BY o.path`;
}
