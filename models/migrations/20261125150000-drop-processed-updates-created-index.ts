import { QueryInterface } from 'sequelize';

/**
 * Every update inserts a processed_updates row: one index fewer to write on that path. The
 * hourly prune scans the table instead (it holds about a day of update ids).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('processed_updates', ['created_at']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addIndex('processed_updates', ['created_at']);
}
