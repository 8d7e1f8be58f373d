import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Delivery exactly once: a sender claims outbox rows before sending them (`claimed_by`,
 * `claimed_until`, taken over only once the claim has run out), a chat that blocked the
 * bot is remembered until the person writes again, and a job claims each scheduled run
 * (`last_slot`) so several processes run it once per schedule.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('outbox_messages', 'claimed_by', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addColumn('outbox_messages', 'claimed_until', { type: DataTypes.DATE, allowNull: true });
  await qi.createTable('blocked_chats', {
    channel: { type: DataTypes.STRING(16), allowNull: false, primaryKey: true },
    chat_id: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    blocked_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addColumn('job_locks', 'last_slot', { type: DataTypes.DATE, allowNull: true });
  await qi.createTable('health_probes', {
    id: { type: DataTypes.INTEGER, primaryKey: true },
    written_at: { type: DataTypes.DATE, allowNull: false },
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('health_probes');
  await qi.removeColumn('job_locks', 'last_slot');
  await qi.dropTable('blocked_chats');
  await qi.removeColumn('outbox_messages', 'claimed_until');
  await qi.removeColumn('outbox_messages', 'claimed_by');
}
