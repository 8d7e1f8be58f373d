/**
 * Hand-written SQL floors for the province bench on PostgreSQL (issue 26, items 4 and 6): the
 * least a database must do to answer each request, written by hand and run with the bare
 * driver, so the bench prints each real figure beside its floor. Each floor reads what the
 * service reads (the counts each organisation keeps, migration 20261222090000; people through
 * their indexes, 20261222100000) without the service around it: rights, names, paging, JSON.
 * Parameters are positional (`$1` …): the subtree's path pattern first (`/1/5/%`).
 */

/** A person lacks a required field (R16): the seven columns, written out by hand. */
const BAD = `(p.name IS NULL OR p.name = '' OR p.id_cipher IS NULL OR p.id_cipher = '' OR p.role IS NULL OR p.role = ''
  OR p.joined_league_at IS NULL OR p.joined_league_at = '' OR p.phone IS NULL OR p.phone = '' OR p.ethnicity IS NULL OR p.ethnicity = ''
  OR p.education IS NULL OR p.education = '')`;

/** R17 in SQL over one organisation `o`'s kept counts: 1 when complete. */
const COMPLETE = `CASE WHEN (CASE WHEN o.kind = 'branch' THEN o.entry_members_bad_member ELSE 0 END) = 0
  AND (CASE WHEN o.kind = 'branch' THEN o.entry_members_bad_cadre ELSE 0 END) + o.entry_holders_bad = 0
  AND (CASE WHEN o.kind = 'branch' THEN o.entry_members ELSE 0 END) + o.entry_holders
    >= CASE o.kind WHEN 'leading_body' THEN 1 WHEN 'branch' THEN 3 ELSE 2 END THEN 1 ELSE 0 END`;

export interface Floor {
  /** What the figure beside it measures. */
  what: string;
  sql: string;
  /** The parameters for a subtree whose path is `path` (`/1/5/`). */
  params(path: string): unknown[];
}

/** Entry progress of a subtree (≤ 2 s, ours ≤ 1.5× this): counts by kind and by the root's child, and the first page of the incomplete. */
export const entryProgressFloor: Floor = {
  what: 'entry progress of a subtree (/progress, GET /api/orgs/tree)',
  sql: `SELECT o.kind, split_part(substr(o.path, $2), '/', 1) AS child, COUNT(*) AS n, SUM(${COMPLETE}) AS complete
  FROM organisations o WHERE o.path LIKE $1 GROUP BY 1, 2
  UNION ALL
  SELECT * FROM (SELECT o.kind, o.id::text, NULL::bigint, NULL::bigint FROM organisations o WHERE o.path LIKE $1 AND ${COMPLETE} = 0 ORDER BY o.path LIMIT 10) page`,
  params: (path) => [`${path}%`, path.length + 1],
};

/**
 * The tree's first page (≤ 300 ms): the same roll-up (the node's children with their totals
 * come from it) and the node itself.
 */
export const treeFirstPageFloor: Floor = {
  what: 'the tree of a subtree, first page (GET /api/orgs/tree)',
  sql: `SELECT (SELECT full_name FROM organisations WHERE path = $3) AS node, x.* FROM (${entryProgressFloor.sql}) x`,
  params: (path) => [...entryProgressFloor.params(path), path],
};

/** The filters the people list accepts but owing (fees: its own queries). */
export type PeopleFilter = 'all' | 'incomplete' | 'unverified';

const FILTERS: Record<PeopleFilter, string> = {
  all: '',
  incomplete: `AND ${BAD}`,
  unverified: `AND p.verification_state <> 'verified'`,
};

/**
 * A people-list page of a large subtree with a filter (≤ 200 ms): its total counted up to
 * 10,001 from the branches' members, and the first page of 20 by walking people in name order.
 */
export function peoplePageFloor(filter: PeopleFilter): Floor {
  return {
    what: `a people-list page of a subtree, filter ${filter} (GET /api/orgs/:id/people)`,
    sql: `SELECT COUNT(*) AS n, NULL::integer AS id, NULL::text AS name FROM (SELECT 1 FROM organisations b JOIN people p ON p.branch_id = b.id
      WHERE b.path LIKE $1 AND p.role <> 'applicant' ${FILTERS[filter]} LIMIT 10001) x
    UNION ALL
    SELECT * FROM (SELECT NULL::bigint, p.id, p.name::text FROM people p LEFT JOIN organisations b ON b.id = p.branch_id
      WHERE (p.role <> 'applicant' AND b.path LIKE $1
        OR EXISTS (SELECT 1 FROM posts t JOIN organisations o ON o.id = t.org_id WHERE t.person_id = p.id AND o.path LIKE $1)) ${FILTERS[filter]}
      ORDER BY p.name, p.id LIMIT 20) page`,
    params: (path) => [`${path}%`],
  };
}

/** Every floor of items 4 and 6, in the order the bench prints them. */
export const PROVINCE_FLOORS: Floor[] = [entryProgressFloor, treeFirstPageFloor, ...(['all', 'incomplete', 'unverified'] as const).map(peoplePageFloor)];
