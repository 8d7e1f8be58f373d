import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** An update id already handled: Telegram retries webhooks, and a retry must be handled once. */
export class ProcessedUpdate extends Model<InferAttributes<ProcessedUpdate>, InferCreationAttributes<ProcessedUpdate>> {
  declare id: CreationOptional<number>;
  declare channel: string;
  declare updateId: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ProcessedUpdate.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        updateId: { type: DataTypes.STRING(32), allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'processed_updates', underscored: true, updatedAt: false },
    );
  }
}
