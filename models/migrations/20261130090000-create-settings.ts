import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Small named values the system keeps about itself, such as the check value of the ID
 * encryption key (server/security/key-check.ts). Read and written with plain SQL.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('settings', {
    name: { type: DataTypes.STRING(64), primaryKey: true },
    value: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('settings');
}
