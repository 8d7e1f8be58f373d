import { DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** Failure counter for one key (`login:person:12`, `admin-code:org:5` …) within a window. */
export class RateLimit extends Model<InferAttributes<RateLimit>, InferCreationAttributes<RateLimit>> {
  declare key: string;
  declare failures: number;
  declare windowStart: Date;
  declare blockedUntil: Date | null;

  static initModel(sequelize: Sequelize): void {
    RateLimit.init(
      {
        key: { type: DataTypes.STRING(100), primaryKey: true },
        failures: { type: DataTypes.INTEGER, allowNull: false },
        windowStart: { type: DataTypes.DATE, allowNull: false },
        blockedUntil: { type: DataTypes.DATE, allowNull: true },
      },
      { sequelize, tableName: 'rate_limits', underscored: true, timestamps: false },
    );
  }
}
