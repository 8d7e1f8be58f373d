import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Announcements (R21) and what the outbox needs for them: `push` marks messages held in quiet
 * hours (announcements, reminders) and sent after direct notices; `topic` (the dedupe key's
 * prefix, e.g. `announcement:12`) counts a broadcast's messages by status.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('outbox_messages', 'push', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await qi.addColumn('outbox_messages', 'topic', { type: DataTypes.STRING(200), allowNull: true });
  await qi.addIndex('outbox_messages', ['topic', 'status']);
  // Claims walk due rows direct notices first, then in id order.
  await qi.addIndex('outbox_messages', ['status', 'push', 'id']);

  await qi.createTable('announcements', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    org_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'organisations', key: 'id' } },
    author_person_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'people', key: 'id' } },
    text: { type: DataTypes.TEXT, allowNull: false },
    audience: { type: DataTypes.STRING(16), allowNull: false },
    org_kind: { type: DataTypes.STRING(32), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'enqueuing' },
    recipients: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    cursor: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    enqueued: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    reached: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    messages: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    enqueued_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('announcements', ['org_id', 'id']);
  await qi.addIndex('announcements', ['status']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('announcements');
  await qi.removeIndex('outbox_messages', ['status', 'push', 'id']);
  await qi.removeIndex('outbox_messages', ['topic', 'status']);
  await qi.removeColumn('outbox_messages', 'topic');
  await qi.removeColumn('outbox_messages', 'push');
}
