import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Announcements queued in one pass (R21): an announcement's recipients are written once, as a
 * snapshot, into `announcement_recipients` (keyed by announcement and person, so a person is
 * in it once), and each batch then takes the next rows of the snapshot by that key and
 * removes them: a batch costs its own size, never a re-run of the audience query.
 * `snapshot_at` says the snapshot is taken; `turn` orders the announcements being queued so
 * that each batch goes to the one served least recently (a small one is not stuck behind a
 * million-person one).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('announcement_recipients', {
    announcement_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    person_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
  });
  await qi.addColumn('announcements', 'snapshot_at', { type: DataTypes.DATE, allowNull: true });
  await qi.addColumn('announcements', 'turn', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  // Plain SQL: Sequelize's removeColumn on SQLite rebuilds the table.
  await qi.sequelize.query('ALTER TABLE announcements DROP COLUMN turn');
  await qi.sequelize.query('ALTER TABLE announcements DROP COLUMN snapshot_at');
  await qi.dropTable('announcement_recipients');
}
