import type { QueryInterface } from 'sequelize';

/**
 * Entry progress (R17) of a province counted 3,000,000 people per request (24 s on PostgreSQL,
 * a hash aggregate spilling to disk). Each organisation now keeps the counts R17 needs, kept by
 * the database itself on every write of people and posts (imports, joins, transfers, deletions,
 * whatever the writer), so a subtree's progress reads only its organisations:
 *
 * - `entry_members`: people whose branch it is (people.branch_id) as 团员 or 团干部;
 *   `entry_members_bad_member` / `entry_members_bad_cadre`: of them, 团员 / 团干部 lacking a
 *   required field (R16);
 * - `entry_holders`: people holding a post in it, each once, but for a branch's own members
 *   and cadres (counted above); `entry_holders_bad`: of them, those lacking a required field.
 *
 * Readers count the members only when the organisation is a branch (progress-sql.ts). The
 * member counts change by the row's own contribution; the holders of an organisation are
 * counted again from its posts (a handful of rows) whenever one of them may have changed.
 * Frozen here as a migration must be: the fields are person-fields.ts' REQUIRED_PERSON_FIELDS.
 * SQLite's index for counting people (20261204090000) is no longer read: dropped, one index
 * less to write on every import.
 */
const FIELDS = ['name', 'id_cipher', 'role', 'joined_league_at', 'phone', 'ethnicity', 'education'];
const COUNTED = `('member', 'cadre')`;
const bad = (row: string) => `(${FIELDS.map((f) => `${row}.${f} IS NULL OR ${row}.${f} = ''`).join(' OR ')})`;
const flag = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;
const COLUMNS = ['entry_members', 'entry_members_bad_member', 'entry_members_bad_cadre', 'entry_holders', 'entry_holders_bad'];

/** Adds (sign 1) or takes away (-1) the person row `row` (NEW or OLD) from its branch's member counts. */
const members = (row: string, sign: 1 | -1) => {
  const op = sign === 1 ? '+' : '-';
  return `UPDATE organisations SET entry_members = entry_members ${op} 1,
    entry_members_bad_member = entry_members_bad_member ${op} ${flag(`${row}.role = 'member' AND ${bad(row)}`)},
    entry_members_bad_cadre = entry_members_bad_cadre ${op} ${flag(`${row}.role = 'cadre' AND ${bad(row)}`)}
  WHERE id = ${row}.branch_id AND ${row}.role IN ${COUNTED}`;
};

/** Counts again the post holders of the organisations `which` picks (SQL on `organisations`). */
const holders = (which: string) => {
  const held = `FROM people p WHERE p.id IN (SELECT t.person_id FROM posts t WHERE t.org_id = organisations.id)
    AND NOT (organisations.kind = 'branch' AND p.branch_id = organisations.id AND p.role IN ${COUNTED})`;
  return `UPDATE organisations SET entry_holders = (SELECT COUNT(*) ${held}), entry_holders_bad = (SELECT COUNT(*) ${held} AND ${bad('p')}) WHERE ${which}`;
};

const heldBy = (row: string) => holders(`id IN (SELECT org_id FROM posts WHERE person_id = ${row}.id)`);
const PERSON_COLUMNS = ['branch_id', ...FIELDS];

/** name → [table, event, columns of UPDATE OF, when (UPDATE only), statements]. */
function triggers(dialect: string): [string, string, string, string[], string | null, string[]][] {
  const differ = (c: string) => (dialect === 'postgres' ? `OLD.${c} IS DISTINCT FROM NEW.${c}` : `OLD.${c} IS NOT NEW.${c}`);
  const changed = (cols: string[]) => cols.map(differ).join(' OR ');
  return [
    ['entry_people_insert', 'people', 'INSERT', [], null, [members('NEW', 1)]],
    ['entry_people_delete', 'people', 'DELETE', [], null, [members('OLD', -1), heldBy('OLD')]],
    ['entry_people_update', 'people', 'UPDATE', PERSON_COLUMNS, changed(PERSON_COLUMNS), [members('OLD', -1), members('NEW', 1), heldBy('NEW')]],
    ['entry_posts_insert', 'posts', 'INSERT', [], null, [holders('id = NEW.org_id')]],
    ['entry_posts_delete', 'posts', 'DELETE', [], null, [holders('id = OLD.org_id')]],
    ['entry_posts_update', 'posts', 'UPDATE', ['person_id', 'org_id'], changed(['person_id', 'org_id']), [holders('id IN (OLD.org_id, NEW.org_id)')]],
    ['entry_orgs_kind', 'organisations', 'UPDATE', ['kind'], changed(['kind']), [holders('id = NEW.id')]],
  ];
}

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const { sequelize } = qi;
  const dialect = sequelize.getDialect();
  for (const c of COLUMNS) await sequelize.query(`ALTER TABLE organisations ADD COLUMN ${c} INTEGER NOT NULL DEFAULT 0`);
  // Backfill: every person and every post, each once, before the triggers keep them.
  await sequelize.query(`UPDATE organisations SET entry_members = m.n, entry_members_bad_member = m.bm, entry_members_bad_cadre = m.bc
    FROM (SELECT branch_id, COUNT(*) AS n, SUM(${flag(`p.role = 'member' AND ${bad('p')}`)}) AS bm, SUM(${flag(`p.role = 'cadre' AND ${bad('p')}`)}) AS bc
      FROM people p WHERE p.role IN ${COUNTED} AND p.branch_id IS NOT NULL GROUP BY branch_id) m
    WHERE organisations.id = m.branch_id`);
  await sequelize.query(holders('id IN (SELECT org_id FROM posts)'));
  if (dialect === 'sqlite') await sequelize.query('DROP INDEX IF EXISTS people_entry_progress');
  for (const [name, table, event, columns, when, statements] of triggers(dialect)) {
    const on = `AFTER ${event}${columns.length ? ` OF ${columns.join(', ')}` : ''} ON ${table} FOR EACH ROW${when ? ` WHEN (${when})` : ''}`;
    if (dialect === 'postgres') {
      await sequelize.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${statements.join(';\n')}; RETURN NULL; END $$`);
      await sequelize.query(`CREATE TRIGGER ${name} ${on} EXECUTE FUNCTION ${name}()`);
    } else {
      await sequelize.query(`CREATE TRIGGER ${name} ${on} BEGIN ${statements.join(';\n')}; END`);
    }
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const { sequelize } = qi;
  const dialect = sequelize.getDialect();
  for (const [name, table] of triggers(dialect)) {
    if (dialect === 'postgres') {
      await sequelize.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
      await sequelize.query(`DROP FUNCTION IF EXISTS ${name}()`);
    } else await sequelize.query(`DROP TRIGGER IF EXISTS ${name}`);
  }
  for (const c of COLUMNS) await sequelize.query(`ALTER TABLE organisations DROP COLUMN ${c}`);
  if (dialect === 'sqlite') await sequelize.query(`CREATE INDEX people_entry_progress ON people (branch_id, role, ${bad('people').replace(/people\./g, '')})`);
}
