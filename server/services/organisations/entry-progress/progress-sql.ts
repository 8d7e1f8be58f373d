/**
 * The SQL of entry progress (R17): every organisation of a subtree with the people it counts
 * and how many of them are incomplete (R16), computed in the database and grouped there, since
 * reading 100,000 rows through the SQLite driver alone costs more than the whole aggregate.
 * Written in the common subset of SQLite and PostgreSQL but for the one string function that
 * finds a child's id in a path. Who counts is rules.ts' doc comment:
 *
 * - `m`: a branch's members and cadres (people.branch_id, roles 团员 and 团干部), each told as
 *   团员 or 团干部 by their 政治面貌;
 * - `h`: post holders not already in `m` (a branch's own cadre holding its post is there
 *   once), each once per organisation however many posts: all told as 团干部.
 */
import { ORG_KINDS } from '../../../../models/Organisation';
import { incompletePersonSql } from '../../membership/person-fields';
import { MIN_PEOPLE } from './rules';

/**
 * How the query reaches the people: `table` reads the whole people index once (cheapest when
 * the subtree is most of the tree), `subtree` starts from the subtree's organisations and looks
 * up their people (cheapest for a province or less). SQLite cannot tell from `path LIKE` how
 * much it matches, so the caller says; PostgreSQL plans either form by its statistics.
 */
export type QueryShape = 'table' | 'subtree';

const BAD = incompletePersonSql('p');
const COUNTED_ROLES = `('member', 'cadre')`;
/** A post holder already counted among the branch's own members and cadres. */
const OWN = `(s.kind = 'branch' AND p.branch_id = s.id AND p.role IN ${COUNTED_ROLES})`;
const NEEDED = `CASE per.kind ${ORG_KINDS.map((k) => `WHEN '${k}' THEN ${MIN_PEOPLE[k]}`).join(' ')} END`;

/** The id of the root's child (in `per.path`) that an organisation lies under; 0 or null for the root itself. */
function childIdSql(dialect: string): string {
  return dialect === 'postgres' ? `CAST(NULLIF(split_part(substr(per.path, ?), '/', 1), '') AS INTEGER)` : `CAST(substr(per.path, ?) AS INTEGER)`; // SQLite reads the leading digits of '5/9/'
}

/**
 * `WITH … done`: one row per organisation of the subtree (`id, path, kind, full_name, people,
 * bm, bc, complete, child`): the name comes along so that no join back to organisations
 * (which PostgreSQL hashed from the whole table) is needed. Parameters: the path prefix (`/1/5/%`), then the root's path length + 1.
 */
export function perOrgCte(dialect: string, shape: QueryShape): string {
  const members =
    shape === 'table'
      ? `FROM people p WHERE p.role IN ${COUNTED_ROLES}`
      : `FROM scope s CROSS JOIN people p WHERE p.branch_id = s.id AND s.kind = 'branch' AND p.role IN ${COUNTED_ROLES}`;
  // CROSS JOIN: SQLite keeps the order written (posts of the subtree, then their holders).
  // The whole table: posts in (person, org) order from their unique index, so a second post of
  // the same person there is the row before and their rows are read in id order. A subtree:
  // its posts by organisation, a second post skipped by looking for a smaller title.
  const holders =
    shape === 'table'
      ? `FROM (SELECT DISTINCT person_id, org_id FROM posts) t JOIN scope s ON s.id = t.org_id JOIN people p ON p.id = t.person_id WHERE NOT ${OWN}`
      : `FROM scope s CROSS JOIN posts t CROSS JOIN people p WHERE t.org_id = s.id AND p.id = t.person_id AND NOT ${OWN}
    AND NOT EXISTS (SELECT 1 FROM posts u WHERE u.person_id = t.person_id AND u.org_id = t.org_id AND u.title < t.title)`;
  return `WITH scope AS (SELECT id, path, kind, full_name FROM organisations WHERE path LIKE ?),
m AS (
  SELECT p.branch_id AS org_id, COUNT(*) AS n,
    SUM(CASE WHEN ${BAD} THEN 1 ELSE 0 END) AS bad,
    SUM(CASE WHEN p.role = 'cadre' AND ${BAD} THEN 1 ELSE 0 END) AS bc
  ${members}
  GROUP BY p.branch_id),
h AS (
  SELECT t.org_id, COUNT(*) AS n, SUM(CASE WHEN ${BAD} THEN 1 ELSE 0 END) AS bc
  ${holders}
  GROUP BY t.org_id),
per AS (
  SELECT s.id, s.path, s.kind, s.full_name,
    COALESCE(m.n, 0) + COALESCE(h.n, 0) AS people,
    COALESCE(m.bad - m.bc, 0) AS bm,
    COALESCE(m.bc, 0) + COALESCE(h.bc, 0) AS bc
  FROM scope s LEFT JOIN m ON m.org_id = s.id AND s.kind = 'branch' LEFT JOIN h ON h.org_id = s.id),
done AS MATERIALIZED (
  SELECT per.id, per.path, per.kind, per.full_name, per.people, per.bm, per.bc,
    CASE WHEN per.bm = 0 AND per.bc = 0 AND per.people >= ${NEEDED} THEN 1 ELSE 0 END AS complete,
    ${childIdSql(dialect)} AS child
  FROM per)`;
}

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
 * The roll-up and one page of incomplete organisations in one statement, so the people are
 * read once: organisations counted by kind and by the root's child they lie under, then the
 * page (ordered by path: a subtree's organisations together). Parameters: those of
 * {@link perOrgCte}, then limit and offset.
 */
export function rollupSql(dialect: string, shape: QueryShape): string {
  return `${perOrgCte(dialect, shape)}
SELECT 'group' AS part, d.kind, d.child, COUNT(*) AS n, SUM(d.complete) AS complete,
  CAST(NULL AS INTEGER) AS id, CAST(NULL AS INTEGER) AS people, CAST(NULL AS INTEGER) AS bm, CAST(NULL AS INTEGER) AS bc
FROM done d GROUP BY d.kind, d.child
UNION ALL
SELECT * FROM (
  SELECT 'page' AS part, d.kind, d.child, CAST(NULL AS INTEGER) AS n, d.complete, d.id, d.people, d.bm, d.bc
  FROM done d WHERE d.complete = 0 ORDER BY d.path LIMIT ? OFFSET ?) page`;
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

/** Every organisation of the subtree with its name, ordered by path (the spreadsheet). Parameters: those of {@link perOrgCte}. */
export function everyOrgSql(dialect: string, shape: QueryShape): string {
  return `${perOrgCte(dialect, shape)}
SELECT d.id, d.full_name, d.kind, d.people, d.bm, d.bc, d.complete FROM done d ORDER BY d.path`;
}
