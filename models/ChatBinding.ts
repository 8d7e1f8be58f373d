import { CreationOptional, DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** Binds a chat user (a Telegram user id, or a local chat user) to an account after /login. */
export class ChatBinding extends Model<InferAttributes<ChatBinding>, InferCreationAttributes<ChatBinding>> {
  declare id: CreationOptional<number>;
  declare channel: string;
  declare externalUserId: string;
  /** Where to reach this user (for Telegram, the private chat id, equal to the user id). */
  declare chatId: string;
  declare personId: number;
  /** The last message from this chat user; the login ends after the configured idle time. */
  declare lastSeenAt: CreationOptional<Date>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ChatBinding.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        externalUserId: { type: DataTypes.STRING(64), allowNull: false },
        chatId: { type: DataTypes.STRING(64), allowNull: false },
        personId: { type: DataTypes.INTEGER, allowNull: false },
        lastSeenAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'chat_bindings', underscored: true },
    );
  }
}
