import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/**
 * One band of a fee standard for one member category: from a monthly after-tax wage
 * (`wageFromFen`, 0 for categories without a wage) either a flat amount, or the wage times
 * `ratePerMille`‰ rounded down to a multiple of `roundingFen`, at most `capFen`. All in fen.
 */
export class FeeStandardBand extends Model<InferAttributes<FeeStandardBand>, InferCreationAttributes<FeeStandardBand>> {
  declare id: CreationOptional<number>;
  declare standardId: number;
  declare category: string;
  declare wageFromFen: number;
  declare flatFen: number | null;
  declare ratePerMille: number | null;
  declare roundingFen: number | null;
  declare capFen: number | null;

  static initModel(sequelize: Sequelize): void {
    FeeStandardBand.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        standardId: { type: DataTypes.INTEGER, allowNull: false },
        category: { type: DataTypes.STRING(16), allowNull: false },
        wageFromFen: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        flatFen: { type: DataTypes.INTEGER, allowNull: true },
        ratePerMille: { type: DataTypes.INTEGER, allowNull: true },
        roundingFen: { type: DataTypes.INTEGER, allowNull: true },
        capFen: { type: DataTypes.INTEGER, allowNull: true },
      },
      { sequelize, tableName: 'fee_standard_bands', underscored: true, timestamps: false },
    );
  }
}
