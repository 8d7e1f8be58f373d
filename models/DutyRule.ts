import { DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';
import type { ActivityKind } from './Activity';

/** How often a kind of meeting or lesson is due per branch (三会两制一课): `times` per month or quarter. Data, not code. */
export class DutyRule extends Model<InferAttributes<DutyRule>, InferCreationAttributes<DutyRule>> {
  declare kind: ActivityKind;
  declare period: 'month' | 'quarter';
  declare times: number;

  static initModel(sequelize: Sequelize): void {
    DutyRule.init(
      {
        kind: { type: DataTypes.STRING(24), primaryKey: true },
        period: { type: DataTypes.STRING(8), allowNull: false },
        times: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      },
      { sequelize, tableName: 'duty_rules', underscored: true, timestamps: false },
    );
  }
}
