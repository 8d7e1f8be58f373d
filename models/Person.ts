import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

export type PersonRole = 'member' | 'cadre' | 'applicant';
export type VerificationState = 'pending' | 'verified' | 'failed';

/**
 * A person and their account (R1-R5). The ID number is kept only encrypted (`idCipher`),
 * with a keyed hash for lookup (`idHash`, unique: R4) and a masked copy for display.
 * `passwordHash` null means the account still has R3's initial password (derived from
 * the ID number, so nothing needs storing until the first change).
 */
export class Person extends Model<InferAttributes<Person>, InferCreationAttributes<Person>> {
  declare id: CreationOptional<number>;
  declare idCipher: string;
  declare idHash: string;
  declare idMasked: string;
  declare name: string;
  declare gender: 'M' | 'F';
  declare birthDate: string;
  declare phone: string | null;
  declare ethnicity: string | null;
  declare education: string | null;
  declare joinedLeagueAt: string | null;
  declare role: PersonRole;
  /** The one branch this person's membership is held in (R10); null for applicants not yet placed. */
  declare branchId: number | null;
  declare passwordHash: string | null;
  declare mustChangePassword: CreationOptional<boolean>;
  declare verificationState: CreationOptional<VerificationState>;
  declare verificationReason: string | null;
  declare verificationRetryable: CreationOptional<boolean>;
  declare verifiedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Person.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        idCipher: { type: DataTypes.STRING(200), allowNull: false },
        idHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        idMasked: { type: DataTypes.STRING(18), allowNull: false },
        name: { type: DataTypes.STRING(50), allowNull: false },
        gender: { type: DataTypes.STRING(1), allowNull: false },
        birthDate: { type: DataTypes.STRING(10), allowNull: false },
        phone: { type: DataTypes.STRING(20), allowNull: true },
        ethnicity: { type: DataTypes.STRING(20), allowNull: true },
        education: { type: DataTypes.STRING(20), allowNull: true },
        joinedLeagueAt: { type: DataTypes.STRING(10), allowNull: true },
        role: { type: DataTypes.STRING(16), allowNull: false },
        branchId: { type: DataTypes.INTEGER, allowNull: true },
        passwordHash: { type: DataTypes.STRING(200), allowNull: true },
        mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        verificationState: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        verificationReason: { type: DataTypes.STRING(200), allowNull: true },
        verificationRetryable: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        verifiedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'people', underscored: true },
    );
  }
}
