import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * The buttons a conversation's last question showed (label → value, JSON): typing a button's
 * label then works as pressing it (people type 跳过 as often as they tap it).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('conversations', 'buttons', { type: DataTypes.TEXT, allowNull: true });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('conversations', 'buttons');
}
