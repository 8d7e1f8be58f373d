import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** The three ways in that need an admin's decision (R8, R9, R9a). */
export type ApplicationKind = 'self_registration' | 'join' | 'flow_checkin';

/**
 * Where an application stands. Self-registration: submitted → approved | rejected.
 * Join (R9): submitted → accepted → activist → candidate → admitted | rejected.
 * Flow-member check-in (R9a): submitted → confirmed | rejected.
 */
export type ApplicationStage = 'submitted' | 'accepted' | 'activist' | 'candidate' | 'admitted' | 'approved' | 'confirmed' | 'rejected';

/**
 * An application to be placed in a branch, decided by that branch's admins (or those above).
 * `personId` is the account created for the applicant; `orgId` the branch applied to. For a
 * flow-member check-in, `homeOrgName` is 团籍所在地 as typed and `homeOrgId` its match, if any.
 * `data` is JSON (answers and the stage history); it never holds a whole ID number.
 */
export class Application extends Model<InferAttributes<Application>, InferCreationAttributes<Application>> {
  declare id: CreationOptional<number>;
  declare kind: ApplicationKind;
  declare personId: number;
  declare orgId: number;
  declare homeOrgName: string | null;
  declare homeOrgId: number | null;
  declare stage: ApplicationStage;
  declare decidedByPersonId: number | null;
  declare decidedAt: Date | null;
  declare reason: string | null;
  declare data: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Application.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        orgId: { type: DataTypes.INTEGER, allowNull: false },
        homeOrgName: { type: DataTypes.STRING(200), allowNull: true },
        homeOrgId: { type: DataTypes.INTEGER, allowNull: true },
        stage: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'submitted' },
        decidedByPersonId: { type: DataTypes.INTEGER, allowNull: true },
        decidedAt: { type: DataTypes.DATE, allowNull: true },
        reason: { type: DataTypes.STRING(500), allowNull: true },
        data: { type: DataTypes.TEXT, allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'applications', underscored: true },
    );
  }
}
