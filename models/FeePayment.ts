import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/**
 * A fee payment (交纳团费) of one member for a run of months of one year, in fen. Never edited
 * or deleted: a correction is a reversing entry (the negative amount, `reversesId` naming
 * the original, at most one per original).
 */
export class FeePayment extends Model<InferAttributes<FeePayment>, InferCreationAttributes<FeePayment>> {
  declare id: CreationOptional<number>;
  declare personId: number;
  /** The member's branch when it was recorded (whose admins see it). */
  declare orgId: number;
  declare year: number;
  /** `YYYY-MM`, both within `year`. */
  declare fromMonth: string;
  declare toMonth: string;
  declare amountFen: number;
  declare reversesId: number | null;
  declare note: string | null;
  declare source: 'chat' | 'import';
  declare recordedByPersonId: number;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    FeePayment.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        orgId: { type: DataTypes.INTEGER, allowNull: false },
        year: { type: DataTypes.INTEGER, allowNull: false },
        fromMonth: { type: DataTypes.STRING(7), allowNull: false },
        toMonth: { type: DataTypes.STRING(7), allowNull: false },
        amountFen: { type: DataTypes.INTEGER, allowNull: false },
        reversesId: { type: DataTypes.INTEGER, allowNull: true, unique: true },
        note: { type: DataTypes.STRING(200), allowNull: true },
        source: { type: DataTypes.STRING(8), allowNull: false },
        recordedByPersonId: { type: DataTypes.INTEGER, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'fee_payments', underscored: true, updatedAt: false },
    );
  }
}
