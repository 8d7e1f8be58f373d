import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** 报名 (registered), 不参加 (declined), or not answered yet (invited). */
export type ParticipantResponse = 'invited' | 'registered' | 'declined';

/** A person picked for an activity (R18): their answer to the invitation and their sign-in (R19). */
export class ActivityParticipant extends Model<InferAttributes<ActivityParticipant>, InferCreationAttributes<ActivityParticipant>> {
  declare id: CreationOptional<number>;
  declare activityId: number;
  declare personId: number;
  declare response: CreationOptional<ParticipantResponse>;
  declare respondedAt: CreationOptional<Date | null>;
  declare signedInAt: CreationOptional<Date | null>;
  /** Not picked beforehand: signed in at the door (the organiser allowed walk-ins). */
  declare walkIn: CreationOptional<boolean>;
  /** When the invitation was queued to a chat of theirs (null: not told yet, e.g. never logged in). */
  declare notifiedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ActivityParticipant.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        activityId: { type: DataTypes.INTEGER, allowNull: false },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        response: { type: DataTypes.STRING(12), allowNull: false, defaultValue: 'invited' },
        respondedAt: { type: DataTypes.DATE, allowNull: true },
        signedInAt: { type: DataTypes.DATE, allowNull: true },
        walkIn: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        notifiedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'activity_participants', underscored: true, updatedAt: false },
    );
  }
}
