import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/**
 * `blocked`: the person blocked the bot in that chat (final until they write again);
 * `dropped`: the notice no longer applies (what it was about is gone), so nothing was sent.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'blocked' | 'dropped';

/**
 * A message to deliver later (notifications, reminders). Services record it in the same
 * transaction as the change that caused it; the sender job delivers it and marks it sent.
 * `dedupeKey` makes enqueueing the same message twice a no-op.
 */
export class OutboxMessage extends Model<InferAttributes<OutboxMessage>, InferCreationAttributes<OutboxMessage>> {
  declare id: CreationOptional<number>;
  declare channel: string;
  declare chatId: string;
  declare personId: number | null;
  /** JSON of a Notice (server/services/messaging/notices.ts), rendered when it is delivered. */
  declare payload: string;
  declare dedupeKey: string | null;
  /** Pushed (an announcement, a reminder): held in quiet hours, sent after direct notices. */
  declare push: CreationOptional<boolean>;
  /** What it belongs to (the dedupe key's prefix, e.g. `announcement:12`), to count a broadcast. */
  declare topic: CreationOptional<string | null>;
  declare status: CreationOptional<OutboxStatus>;
  declare attempts: CreationOptional<number>;
  declare availableAt: CreationOptional<Date>;
  declare sentAt: Date | null;
  declare lastError: string | null;
  /** The sender that claimed the row for delivery, until `claimedUntil`. */
  declare claimedBy: CreationOptional<string | null>;
  declare claimedUntil: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    OutboxMessage.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        chatId: { type: DataTypes.STRING(64), allowNull: false },
        personId: { type: DataTypes.INTEGER, allowNull: true },
        payload: { type: DataTypes.TEXT, allowNull: false },
        dedupeKey: { type: DataTypes.STRING(200), allowNull: true, unique: true },
        push: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        topic: { type: DataTypes.STRING(200), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        availableAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        sentAt: { type: DataTypes.DATE, allowNull: true },
        lastError: { type: DataTypes.STRING(500), allowNull: true },
        claimedBy: { type: DataTypes.STRING(64), allowNull: true },
        claimedUntil: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'outbox_messages', underscored: true },
    );
  }
}
