import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/**
 * The saved state of one chat's conversation: plain JSON with the flow's version stamp,
 * so a restart loses nothing and a deploy can drop states of an older version cleanly.
 */
export class Conversation extends Model<InferAttributes<Conversation>, InferCreationAttributes<Conversation>> {
  declare id: CreationOptional<number>;
  declare channel: string;
  declare chatId: string;
  declare flow: string;
  declare version: number;
  declare state: string;
  /** The last question's buttons (label → value, JSON): a label typed is taken as the press. */
  declare buttons: string | null;
  /** The update that moved the conversation last, by its content key (a redelivery of it is recognised). */
  declare updateKey: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Conversation.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        chatId: { type: DataTypes.STRING(64), allowNull: false },
        flow: { type: DataTypes.STRING(64), allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false },
        state: { type: DataTypes.TEXT, allowNull: false },
        buttons: { type: DataTypes.TEXT, allowNull: true },
        updateKey: { type: DataTypes.STRING(100), allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'conversations', underscored: true },
    );
  }
}
