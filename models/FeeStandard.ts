import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/**
 * A fee standard (团费标准, R20): the document that sets it and the month it applies from.
 * What it charges is in its bands (FeeStandardBand). Rows are never changed: a correction or a
 * new rule is a new standard from a month, and months before it keep the one in force then.
 */
export class FeeStandard extends Model<InferAttributes<FeeStandard>, InferCreationAttributes<FeeStandard>> {
  declare id: CreationOptional<number>;
  /** 文号, e.g. 中青发〔2016〕13号. */
  declare name: string;
  /** The document's title. */
  declare title: string;
  /** Where in the document (第五条). */
  declare article: string | null;
  /** First month it applies to, `YYYY-MM`. */
  declare validFrom: string;
  declare createdByPersonId: number | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    FeeStandard.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        article: { type: DataTypes.STRING(50), allowNull: true },
        validFrom: { type: DataTypes.STRING(7), allowNull: false },
        createdByPersonId: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'fee_standards', underscored: true, updatedAt: false },
    );
  }
}
