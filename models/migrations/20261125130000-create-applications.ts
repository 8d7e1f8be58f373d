import { DataTypes, QueryInterface } from 'sequelize';

/** Applications awaiting an admin's decision: self-registration (R8), join (R9), flow-member check-in (R9a). */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const ref = (model: string, allowNull: boolean) => ({ type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' } });
  await qi.createTable('applications', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    kind: { type: DataTypes.STRING(32), allowNull: false },
    person_id: ref('people', false),
    org_id: ref('organisations', false),
    home_org_name: { type: DataTypes.STRING(200), allowNull: true },
    home_org_id: ref('organisations', true),
    stage: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'submitted' },
    decided_by_person_id: ref('people', true),
    decided_at: { type: DataTypes.DATE, allowNull: true },
    reason: { type: DataTypes.STRING(500), allowNull: true },
    data: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('applications', ['org_id', 'stage']);
  await qi.addIndex('applications', ['person_id']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('applications');
}
