import { underPath } from './fast-sql';

/**
 * Which organisations: one (`:orgId`) or a subtree (organisations whose path matches `:path`,
 * bound as underPathPattern makes it).
 */
export type OrgReach = 'own' | 'subtree';

/** SQL true when the organisation aliased `alias` is one of `reach`. */
export function orgInReach(dialect: string, alias: string, reach: OrgReach): string {
  return reach === 'own' ? `${alias}.id = :orgId` : underPath(dialect, `${alias}.path`, ':path');
}

/**
 * The people of an organisation or a subtree, each once: the members of its branches who are
 * not applicants, then everyone holding a post in it who is not already among them (R6, R17,
 * R18). Both halves start from the organisations (a range of the path index) and reach people
 * through their indexes (people by branch, posts by organisation, people by id), so a query
 * costs the subtree, never the whole people table: a `p.id IN (… UNION …)` over `people`
 * scanned all of it.
 *
 * `columns` may name `p` (the person) and `b` (their branch, null for a post holder without
 * one); `where` is more conditions (`AND …`) on them. Binds `:orgId` or `:path`.
 * @example `SELECT COUNT(*) AS n FROM (${subtreePeopleSql(dialect, 'subtree', 'p.id')}) x`
 */
export function subtreePeopleSql(dialect: string, reach: OrgReach, columns: string, where = ''): string {
  const own = orgInReach(dialect, 'b', reach);
  return `${subtreeMembersSql(dialect, reach, columns, where)}
  UNION ALL
  SELECT ${columns} FROM people p LEFT JOIN organisations b ON b.id = p.branch_id
  WHERE p.id IN (SELECT t.person_id FROM organisations o JOIN posts t ON t.org_id = o.id WHERE ${orgInReach(dialect, 'o', reach)})
    AND NOT (p.role <> 'applicant' AND b.id IS NOT NULL AND ${own}) ${where}`;
}

/** The first half of {@link subtreePeopleSql}: the members of the branches (of a large subtree, nearly all its people). */
export function subtreeMembersSql(dialect: string, reach: OrgReach, columns: string, where = ''): string {
  return `SELECT ${columns} FROM organisations b JOIN people p ON p.branch_id = b.id WHERE ${orgInReach(dialect, 'b', reach)} AND p.role <> 'applicant' ${where}`;
}

/**
 * The same people as {@link subtreePeopleSql} with `reach` 'subtree', one page of them in name
 * order (`:limit`, `:offset`), found by walking people by name (the people_name_id index) and
 * keeping those of the subtree: a page costs the rows walked, not the subtree. For a subtree
 * with many people only (a province): for a small one, most of the walk is other people.
 */
export function subtreePeopleByNameSql(dialect: string, columns: string, where = ''): string {
  return `SELECT ${columns} FROM people p LEFT JOIN organisations b ON b.id = p.branch_id
  WHERE (p.role <> 'applicant' AND ${orgInReach(dialect, 'b', 'subtree')}
    OR EXISTS (SELECT 1 FROM posts t JOIN organisations o ON o.id = t.org_id WHERE t.person_id = p.id AND ${orgInReach(dialect, 'o', 'subtree')})) ${where}
  ORDER BY p.name, p.id LIMIT :limit OFFSET :offset`;
}
