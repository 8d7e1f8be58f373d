import { DataTypes, QueryInterface } from 'sequelize';

/** Invitations into non-branch organisations (R13). */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const ref = (model: string) => ({ type: DataTypes.INTEGER, allowNull: false, references: { model, key: 'id' } });
  await qi.createTable('invitations', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    org_id: ref('organisations'),
    person_id: ref('people'),
    title: { type: DataTypes.STRING(50), allowNull: false },
    invited_by_person_id: ref('people'),
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('invitations', ['person_id', 'status']);
  await qi.addIndex('invitations', ['org_id', 'person_id', 'status']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('invitations');
}
