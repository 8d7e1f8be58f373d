import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Long work (an import; exports and broadcasts later) queued by a chat update and run in the
 * background. The input (an uploaded file) is kept with the job, so a job survives a restart:
 * it is run again or reported failed, never silently lost.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('background_jobs', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    kind: { type: DataTypes.STRING(32), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
    actor_person_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'people', key: 'id' } },
    channel: { type: DataTypes.STRING(16), allowNull: false },
    chat_id: { type: DataTypes.STRING(64), allowNull: false },
    title: { type: DataTypes.STRING(300), allowNull: false },
    params: { type: DataTypes.TEXT, allowNull: false },
    input: { type: DataTypes.BLOB, allowNull: true },
    dedupe_key: { type: DataTypes.STRING(200), allowNull: true, unique: true },
    progress: { type: DataTypes.STRING(200), allowNull: true },
    progress_message_id: { type: DataTypes.STRING(64), allowNull: true },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    owner: { type: DataTypes.STRING(64), allowNull: true },
    lease_until: { type: DataTypes.DATE, allowNull: true },
    outcome: { type: DataTypes.STRING(500), allowNull: true },
    finished_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('background_jobs', ['status', 'id']);
  await qi.addIndex('background_jobs', ['actor_person_id', 'id']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('background_jobs');
}
