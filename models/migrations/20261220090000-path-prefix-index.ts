import type { QueryInterface } from 'sequelize';

/**
 * Subtrees are found by a prefix of `organisations.path` (`path LIKE '/1/5/%'`). PostgreSQL
 * turns such a LIKE into a range of a btree only under the "C" collation; under any other
 * (C.UTF-8 and ICU included) the index on `path` is useless for it and every subtree query
 * read the whole table. Paths hold only digits and '/', so "C" orders them as any collation
 * would: the column takes it and its index is rebuilt with it, serving both prefixes and
 * ORDER BY path. SQLite is left as it is: its GLOB already uses the index.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  if (qi.sequelize.getDialect() !== 'postgres') return;
  await qi.sequelize.query(`ALTER TABLE organisations ALTER COLUMN path TYPE VARCHAR(1024) COLLATE "C"`);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  if (qi.sequelize.getDialect() !== 'postgres') return;
  await qi.sequelize.query(`ALTER TABLE organisations ALTER COLUMN path TYPE VARCHAR(1024) COLLATE "default"`);
}
