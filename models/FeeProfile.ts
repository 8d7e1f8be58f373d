import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** `declared` by the member, waiting for an admin; only `confirmed` rows decide what is due. */
export type FeeProfileStatus = 'confirmed' | 'declared' | 'rejected';

/**
 * A member's fee category (团费类别) and, for a wage earner, the after-tax monthly wage in fen,
 * from a month on. Each change is a new row, so months before it keep what applied then.
 */
export class FeeProfile extends Model<InferAttributes<FeeProfile>, InferCreationAttributes<FeeProfile>> {
  declare id: CreationOptional<number>;
  declare personId: number;
  /** `YYYY-MM`. */
  declare validFrom: string;
  declare category: string;
  declare wageFen: number | null;
  declare status: FeeProfileStatus;
  /** Who set it (an admin) or declared it (the member). */
  declare setByPersonId: number;
  declare decidedByPersonId: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    FeeProfile.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        validFrom: { type: DataTypes.STRING(7), allowNull: false },
        category: { type: DataTypes.STRING(16), allowNull: false },
        wageFen: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(12), allowNull: false },
        setByPersonId: { type: DataTypes.INTEGER, allowNull: false },
        decidedByPersonId: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'fee_profiles', underscored: true },
    );
  }
}
