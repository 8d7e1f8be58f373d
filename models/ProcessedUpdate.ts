import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/**
 * An update already handled, by what it carries (`msg:<chat>:<message>`, `cb:<callback query>`):
 * Telegram retries webhooks and resends unconfirmed updates, and a redelivery must be handled
 * once, while update ids alone may repeat.
 */
export class ProcessedUpdate extends Model<InferAttributes<ProcessedUpdate>, InferCreationAttributes<ProcessedUpdate>> {
  declare id: CreationOptional<number>;
  declare channel: string;
  declare updateKey: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ProcessedUpdate.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        updateKey: { type: DataTypes.STRING(100), allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'processed_updates', underscored: true, updatedAt: false },
    );
  }
}
