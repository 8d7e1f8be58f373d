import type { QueryInterface } from 'sequelize';

/**
 * Whether a person lacks a required field (R16), as person-fields.ts' incompletePersonSql()
 * writes it with no alias (frozen here, as a migration must be): a partial index serves a
 * query only when its condition is the index's.
 */
const INCOMPLETE = `(name IS NULL OR name = '' OR id_cipher IS NULL OR id_cipher = '' OR role IS NULL OR role = '' OR joined_league_at IS NULL OR joined_league_at = '' OR phone IS NULL OR phone = '' OR ethnicity IS NULL OR ethnicity = '' OR education IS NULL OR education = '')`;
const UNVERIFIED = `verification_state <> 'verified'`;

/**
 * An organisation's people are listed by name (R16, R5), all of them or a filter's. For a
 * subtree of more people than a page can sort (a province: 3,000,000), the list walks people
 * in name order and keeps those of the subtree, stopping at the page: without these indexes
 * every page sorted the whole subtree (6.5 s on PostgreSQL). A filter's own index (partial:
 * only its people) keeps the walk from stepping over everyone else, and its people by branch
 * (with the role the list tests) count a subtree's filtered list from the index alone. `id` breaks ties, as the list orders.
 */
const INDEXES: [string, string, string][] = [
  ['people_name_id', 'name, id', ''],
  ['people_unverified_name', 'name, id', UNVERIFIED],
  ['people_incomplete_name', 'name, id', INCOMPLETE],
  ['people_unverified_branch', 'branch_id, role', UNVERIFIED],
  ['people_incomplete_branch', 'branch_id, role', INCOMPLETE],
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [name, columns, where] of INDEXES) await qi.sequelize.query(`CREATE INDEX ${name} ON people (${columns})${where ? ` WHERE ${where}` : ''}`);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [name] of INDEXES) await qi.sequelize.query(`DROP INDEX IF EXISTS ${name}`);
}
