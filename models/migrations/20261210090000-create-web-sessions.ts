import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Logins of the web app (the Telegram Mini App and the phone browser, R22), apart from chat
 * bindings: a web session is no chat, so notices are never queued for it. The cookie holds a
 * random token; only its SHA-256 is kept. `credential` fingerprints the password as it was at
 * login (a change or reset elsewhere ends the session); a session opened from Telegram's
 * initData names the Telegram user, whose chat binding must still hold.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('web_sessions', {
    token_hash: { type: DataTypes.STRING(64), primaryKey: true },
    person_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'people', key: 'id' }, onDelete: 'CASCADE' },
    csrf_token: { type: DataTypes.STRING(64), allowNull: false },
    via: { type: DataTypes.STRING(16), allowNull: false },
    telegram_user_id: { type: DataTypes.STRING(64), allowNull: true },
    credential: { type: DataTypes.STRING(64), allowNull: false },
    last_seen_at: { type: DataTypes.DATE, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('web_sessions', ['person_id']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('web_sessions');
}
