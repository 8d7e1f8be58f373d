import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * A handled update is known by what it carries (`msg:<chat>:<message>`, `cb:<callback query>`),
 * not by its update id alone: ids repeat after a Bot API server restart, or after a week without
 * updates, and a new message under an old id was skipped as handled.
 *
 * processed_updates is made again keyed by `update_key`: its rows name update ids, which no new
 * key matches, and it only ever holds a day of them. A conversation remembers the key of the
 * update that moved it last in `update_key`; `update_id` is no longer written.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('processed_updates');
  await qi.createTable('processed_updates', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    channel: { type: DataTypes.STRING(16), allowNull: false },
    update_key: { type: DataTypes.STRING(100), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('processed_updates', ['channel', 'update_key'], { unique: true });
  await qi.addColumn('conversations', 'update_key', { type: DataTypes.STRING(100), allowNull: true });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  // Plain SQL: Sequelize's removeColumn on SQLite rebuilds the table and loses its two-column unique index.
  await qi.sequelize.query('ALTER TABLE conversations DROP COLUMN update_key');
  await qi.dropTable('processed_updates');
  await qi.createTable('processed_updates', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    channel: { type: DataTypes.STRING(16), allowNull: false },
    update_id: { type: DataTypes.STRING(32), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('processed_updates', ['channel', 'update_id'], { unique: true });
}
