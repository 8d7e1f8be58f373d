import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** 支部团员大会, 支部委员会, 团小组会, other internal meetings, 团课, 团日活动 (R18). */
export type ActivityKind = 'branch_congress' | 'committee_meeting' | 'group_meeting' | 'other_meeting' | 'lesson' | 'league_day';
/** Sign-in follows its window (`auto`), or was opened or closed by hand. */
export type SigninMode = 'auto' | 'open' | 'closed';

/**
 * A meeting, league lesson or league day of an organisation (R18), with its sign-in (R19): a
 * window around the start (minutes before and after), a short code and a token for the deep
 * link; `counter_*` is the organiser's message that shows live counts.
 */
export class Activity extends Model<InferAttributes<Activity>, InferCreationAttributes<Activity>> {
  declare id: CreationOptional<number>;
  declare orgId: number;
  declare kind: ActivityKind;
  declare title: string;
  declare startsAt: Date;
  declare endsAt: Date;
  declare place: string | null;
  declare organiser: string | null;
  declare notes: string | null;
  declare createdByPersonId: number;
  declare signinMode: CreationOptional<SigninMode>;
  declare signinBeforeMin: CreationOptional<number>;
  declare signinAfterMin: CreationOptional<number>;
  declare signinCode: string;
  declare signinToken: string;
  declare allowWalkIns: CreationOptional<boolean>;
  declare counterChannel: CreationOptional<string | null>;
  declare counterChatId: CreationOptional<string | null>;
  declare counterMessageId: CreationOptional<string | null>;
  declare countsChangedAt: CreationOptional<Date | null>;
  declare countsShownAt: CreationOptional<Date | null>;
  /** When participants were reminded the day before, and when sign-in opened (R21; once each). */
  declare eveRemindedAt: CreationOptional<Date | null>;
  declare signinRemindedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Activity.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        orgId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(24), allowNull: false },
        title: { type: DataTypes.STRING(100), allowNull: false },
        startsAt: { type: DataTypes.DATE, allowNull: false },
        endsAt: { type: DataTypes.DATE, allowNull: false },
        place: { type: DataTypes.STRING(100), allowNull: true },
        organiser: { type: DataTypes.STRING(50), allowNull: true },
        notes: { type: DataTypes.STRING(500), allowNull: true },
        createdByPersonId: { type: DataTypes.INTEGER, allowNull: false },
        signinMode: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'auto' },
        signinBeforeMin: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 15 },
        signinAfterMin: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 30 },
        signinCode: { type: DataTypes.STRING(8), allowNull: false },
        signinToken: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        allowWalkIns: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        counterChannel: { type: DataTypes.STRING(16), allowNull: true },
        counterChatId: { type: DataTypes.STRING(64), allowNull: true },
        counterMessageId: { type: DataTypes.STRING(32), allowNull: true },
        countsChangedAt: { type: DataTypes.DATE, allowNull: true },
        countsShownAt: { type: DataTypes.DATE, allowNull: true },
        eveRemindedAt: { type: DataTypes.DATE, allowNull: true },
        signinRemindedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'activities', underscored: true },
    );
  }
}
