import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** 组织类别 (R10). */
export const ORG_KINDS = ['leading_body', 'committee', 'working_committee', 'general_branch', 'branch'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/**
 * A league organisation (团组织) in the tree. `path` is the materialised path of ids
 * (`/1/5/23/`), so a subtree is one indexed prefix query.
 */
export class Organisation extends Model<InferAttributes<Organisation>, InferCreationAttributes<Organisation>> {
  declare id: CreationOptional<number>;
  declare parentId: number | null;
  declare path: CreationOptional<string>;
  declare depth: CreationOptional<number>;
  declare fullName: string;
  /** fullName normalised (brackets/spaces/width), unique: R11 matching. */
  declare nameKey: string;
  declare shortName: string;
  declare kind: OrgKind;
  declare industry: string | null;
  declare isSchool: CreationOptional<boolean>;
  declare schoolCode: string | null;
  /** 管理员注册码 (R6): 8 letters/digits, case-sensitive. */
  declare adminCode: string;
  /** R12: the kind may be changed once, by the organisation's own admin. */
  declare kindChangeUsed: CreationOptional<boolean>;
  /** R12: the Central Committee and the 38 provincial committees refuse name/kind/industry changes. */
  declare locked: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Organisation.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        parentId: { type: DataTypes.INTEGER, allowNull: true },
        path: { type: DataTypes.STRING(1024), allowNull: false, defaultValue: '' },
        depth: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        fullName: { type: DataTypes.STRING(200), allowNull: false },
        nameKey: { type: DataTypes.STRING(200), allowNull: false, unique: true },
        shortName: { type: DataTypes.STRING(100), allowNull: false },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        industry: { type: DataTypes.STRING(100), allowNull: true },
        isSchool: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        schoolCode: { type: DataTypes.STRING(64), allowNull: true },
        adminCode: { type: DataTypes.STRING(8), allowNull: false },
        kindChangeUsed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        locked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'organisations', underscored: true },
    );
  }
}
