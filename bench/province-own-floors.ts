/**
 * The province bench's floors: each measured figure's work written once by hand as plain SQL
 * for PostgreSQL (joins from the subtree's organisations through people by branch, aggregates
 * before sorting), run through the bare `pg` driver on a connection of its own. Parameters:
 * $1 the subtree's path pattern (`/1/%`), $2 where a child's id starts in a path.
 */

/** A person lacks a required field (R16): the seven columns, written out by hand. */
const BAD = (p: string) =>
  `(${['name', 'id_cipher', 'role', 'joined_league_at', 'phone', 'ethnicity', 'education'].map((c) => `${p}.${c} IS NULL OR ${p}.${c} = ''`).join(' OR ')})`;

const SUB = `sub AS MATERIALIZED (SELECT id, path, kind, NULLIF(split_part(substr(path, $2), '/', 1), '')::int AS child FROM organisations WHERE path LIKE $1)`;

/** The people list's filters as the API names them, in SQL over `p`. */
export const PEOPLE_FILTERS: Record<'all' | 'incomplete' | 'unverified', string> = {
  all: 'TRUE',
  incomplete: BAD('p'),
  unverified: `p.verification_state <> 'verified'`,
};

/** The subtree's people (branch members, not applicants, and post holders) matching a filter. */
const peopleOf = (filter: string) =>
  `SELECT p.id FROM organisations b JOIN people p ON p.branch_id = b.id WHERE b.path LIKE $1 AND p.role <> 'applicant' AND ${filter}
   UNION SELECT p.id FROM organisations o JOIN posts t ON t.org_id = o.id JOIN people p ON p.id = t.person_id WHERE o.path LIKE $1 AND ${filter}`;

/** A people-list page: the count, and the first 20 by name and id. */
export const peopleFloor = (filter: string) => ({
  count: `SELECT COUNT(*)::int AS n FROM (${peopleOf(filter)}) x`,
  page: `SELECT p.id, p.name, p.id_masked, p.verification_state, b.full_name FROM people p LEFT JOIN organisations b ON b.id = p.branch_id
         WHERE p.id IN (${peopleOf(filter)}) ORDER BY p.name, p.id LIMIT 20`,
});

/**
 * Fees (R20) of the subtree's payers for the year so far ($3 the year, $4 months due): the
 * latest confirmed profile's monthly fee (the 2016 standard's bands, by hand), what was paid.
 */
const FEES = `WITH ${SUB},
payers AS (SELECT p.id, s.child FROM sub s JOIN people p ON p.branch_id = s.id WHERE s.kind = 'branch' AND p.role IN ('member', 'cadre')),
profile AS (
  SELECT DISTINCT ON (f.person_id) f.person_id, f.category, f.wage_fen FROM payers y JOIN fee_profiles f ON f.person_id = y.id
  WHERE f.status = 'confirmed' ORDER BY f.person_id, f.valid_from DESC),
paid AS (SELECT fp.person_id, SUM(fp.amount_fen) AS fen FROM payers y JOIN fee_payments fp ON fp.person_id = y.id AND fp.year = $3 GROUP BY fp.person_id),
fees AS (
  SELECT y.id, y.child, COALESCE(paid.fen, 0) AS paid,
    $4 * CASE WHEN f.category IS NULL THEN NULL WHEN f.category <> 'wage' THEN 20 WHEN f.wage_fen < 200000 THEN 300
      ELSE LEAST(2000, round(f.wage_fen * 2 / 1000 / 100.0) * 100) END AS due
  FROM payers y LEFT JOIN profile f ON f.person_id = y.id LEFT JOIN paid ON paid.person_id = y.id)`;

/** The summary: totals per child and in all. */
export const FEES_SUMMARY_FLOOR = `${FEES}
SELECT child, COUNT(*)::int AS payers, COUNT(due)::int AS known, SUM(due)::bigint AS due, SUM(paid)::bigint AS paid, SUM(GREATEST(0, due - paid))::bigint AS owed
FROM fees GROUP BY ROLLUP (child)`;

/** The owing list's first page (10, most owed first, unknown amounts last) and its count. */
export const FEES_OWING_FLOOR = `${FEES}, owing AS (SELECT id, due - paid AS owed FROM fees WHERE due IS NULL OR due > paid)
SELECT (SELECT COUNT(*)::int FROM owing) AS total, x.* FROM (SELECT id, owed FROM owing ORDER BY owed DESC NULLS LAST, id LIMIT 10) x`;

/**
 * Queueing an announcement: every recipient's outbox row in one INSERT … SELECT (run in a
 * transaction that is rolled back): members of the subtree's branches, post holders and admins,
 * each once per chat they are logged in to.
 */
export const QUEUE_FLOOR = `INSERT INTO outbox_messages (channel, chat_id, person_id, payload, dedupe_key, status, attempts, available_at, push, topic, created_at, updated_at)
SELECT b.channel, b.chat_id, r.id, '{"kind":"announcement","announcementId":0}', 'bench-floor:' || b.id, 'pending', 0, now(), true, 'bench-floor', now(), now()
FROM (SELECT p.id FROM organisations o JOIN people p ON p.branch_id = o.id WHERE o.path LIKE $1 AND p.role <> 'applicant'
      UNION SELECT t.person_id FROM organisations o JOIN posts t ON t.org_id = o.id WHERE o.path LIKE $1
      UNION SELECT a.person_id FROM organisations o JOIN admins a ON a.org_id = o.id WHERE o.path LIKE $1) r
JOIN chat_bindings b ON b.person_id = r.id`;

/** What `/me` reads, by hand: the person, their branch and their posts. */
export const ME_FLOOR = `SELECT p.id, p.name, p.id_masked, p.verification_state, p.phone, p.ethnicity, p.education, p.joined_league_at, b.full_name,
  (SELECT json_agg(json_build_object('title', t.title, 'org', o.full_name)) FROM posts t JOIN organisations o ON o.id = t.org_id WHERE t.person_id = p.id) AS posts
FROM people p LEFT JOIN organisations b ON b.id = p.branch_id WHERE p.id = $1`;
