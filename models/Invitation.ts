import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'expired';

/**
 * An invitation (邀请, R13) of a registered user into a leading body, committee, working
 * committee or general branch with a post title; accepting gives the post, never moves membership.
 */
export class Invitation extends Model<InferAttributes<Invitation>, InferCreationAttributes<Invitation>> {
  declare id: CreationOptional<number>;
  declare orgId: number;
  declare personId: number;
  /** 职务 offered: 书记, 副书记, 委员 … */
  declare title: string;
  declare invitedByPersonId: number;
  declare status: CreationOptional<InvitationStatus>;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Invitation.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        orgId: { type: DataTypes.INTEGER, allowNull: false },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(50), allowNull: false },
        invitedByPersonId: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'invitations', underscored: true },
    );
  }
}
