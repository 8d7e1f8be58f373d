import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';
import type { OrgKind } from './Organisation';

/** Who of the subtree hears it: everyone (members and cadres), or only cadres. */
export type AnnouncementAudience = 'all' | 'cadres';
/** `enqueuing`: its recipients are being queued in the background; `queued`: all are. */
export type AnnouncementStatus = 'enqueuing' | 'queued';

/**
 * An admin's announcement (通知, R21) to its organisation and those below, optionally only to
 * cadres or to organisations of one kind. Its recipients are written once as a snapshot
 * (announcement_recipients), then queued in the background in person-id order (`cursor`: the
 * last one done), so a restart goes on where it stopped.
 */
export class Announcement extends Model<InferAttributes<Announcement>, InferCreationAttributes<Announcement>> {
  declare id: CreationOptional<number>;
  declare orgId: number;
  declare authorPersonId: number;
  declare text: string;
  declare audience: AnnouncementAudience;
  declare orgKind: OrgKind | null;
  declare status: CreationOptional<AnnouncementStatus>;
  /** People it is for: counted when confirmed, then the size of its snapshot. */
  declare recipients: CreationOptional<number>;
  declare cursor: CreationOptional<number>;
  /** People gone through so far, and those of them logged in somewhere (reached). */
  declare enqueued: CreationOptional<number>;
  declare reached: CreationOptional<number>;
  /** Outbox messages queued (one per chat of each person reached). */
  declare messages: CreationOptional<number>;
  declare enqueuedAt: CreationOptional<Date | null>;
  /** When its recipients were written as a snapshot (announcement_recipients); null: not yet. */
  declare snapshotAt: CreationOptional<Date | null>;
  /** Its place in the round of announcements being queued: the lowest is served next. */
  declare turn: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Announcement.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        orgId: { type: DataTypes.INTEGER, allowNull: false },
        authorPersonId: { type: DataTypes.INTEGER, allowNull: false },
        text: { type: DataTypes.TEXT, allowNull: false },
        audience: { type: DataTypes.STRING(16), allowNull: false },
        orgKind: { type: DataTypes.STRING(32), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'enqueuing' },
        recipients: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        cursor: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        enqueued: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        reached: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        messages: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        enqueuedAt: { type: DataTypes.DATE, allowNull: true },
        snapshotAt: { type: DataTypes.DATE, allowNull: true },
        turn: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'announcements', underscored: true },
    );
  }
}
