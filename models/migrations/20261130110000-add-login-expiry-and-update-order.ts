import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Logins end after a time without use (`chat_bindings.last_seen_at`), and a conversation
 * remembers the update that moved it last (`conversations.update_id`): a redelivered update
 * is then recognised by the same write that applied it.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('chat_bindings', 'last_seen_at', { type: DataTypes.DATE, allowNull: true });
  await qi.sequelize.query('UPDATE chat_bindings SET last_seen_at = updated_at');
  await qi.addColumn('conversations', 'update_id', { type: DataTypes.BIGINT, allowNull: true });
  await qi.createTable('login_sources', {
    person_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true, references: { model: 'people', key: 'id' } },
    source_key: { type: DataTypes.STRING(100), allowNull: false, primaryKey: true },
    last_success_at: { type: DataTypes.DATE, allowNull: false },
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('login_sources');
  await qi.removeColumn('conversations', 'update_id');
  await qi.removeColumn('chat_bindings', 'last_seen_at');
}
