import { DataTypes, QueryInterface } from 'sequelize';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};

/** Accounts, organisations, posts, admins, chat bindings, conversations, outbox, limits, locks, audit. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('organisations', {
    id,
    parent_id: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'organisations', key: 'id' } },
    path: { type: DataTypes.STRING(1024), allowNull: false, defaultValue: '' },
    depth: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    full_name: { type: DataTypes.STRING(200), allowNull: false },
    name_key: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    short_name: { type: DataTypes.STRING(100), allowNull: false },
    kind: { type: DataTypes.STRING(32), allowNull: false },
    industry: { type: DataTypes.STRING(100), allowNull: true },
    is_school: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    school_code: { type: DataTypes.STRING(64), allowNull: true },
    admin_code: { type: DataTypes.STRING(8), allowNull: false },
    kind_change_used: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    locked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...timestamps,
  });
  await qi.addIndex('organisations', ['path']);
  await qi.addIndex('organisations', ['parent_id']);

  await qi.createTable('people', {
    id,
    id_cipher: { type: DataTypes.STRING(200), allowNull: false },
    id_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    id_masked: { type: DataTypes.STRING(18), allowNull: false },
    name: { type: DataTypes.STRING(50), allowNull: false },
    gender: { type: DataTypes.STRING(1), allowNull: false },
    birth_date: { type: DataTypes.STRING(10), allowNull: false },
    phone: { type: DataTypes.STRING(20), allowNull: true },
    ethnicity: { type: DataTypes.STRING(20), allowNull: true },
    education: { type: DataTypes.STRING(20), allowNull: true },
    joined_league_at: { type: DataTypes.STRING(10), allowNull: true },
    role: { type: DataTypes.STRING(16), allowNull: false },
    branch_id: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'organisations', key: 'id' } },
    password_hash: { type: DataTypes.STRING(200), allowNull: true },
    must_change_password: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    verification_state: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    verification_reason: { type: DataTypes.STRING(200), allowNull: true },
    verification_retryable: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    verified_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('people', ['branch_id']);
  await qi.addIndex('people', ['verification_state']);

  const person = { type: DataTypes.INTEGER, allowNull: false, references: { model: 'people', key: 'id' } };
  const org = { type: DataTypes.INTEGER, allowNull: false, references: { model: 'organisations', key: 'id' } };

  await qi.createTable('posts', { id, person_id: person, org_id: org, title: { type: DataTypes.STRING(50), allowNull: false }, ...timestamps });
  await qi.addIndex('posts', ['person_id', 'org_id', 'title'], { unique: true });
  await qi.addIndex('posts', ['org_id']);

  await qi.createTable('admins', { id, org_id: org, person_id: person, ...timestamps });
  await qi.addIndex('admins', ['org_id', 'person_id'], { unique: true });
  await qi.addIndex('admins', ['person_id']);

  await qi.createTable('chat_bindings', {
    id,
    channel: { type: DataTypes.STRING(16), allowNull: false },
    external_user_id: { type: DataTypes.STRING(64), allowNull: false },
    chat_id: { type: DataTypes.STRING(64), allowNull: false },
    person_id: person,
    ...timestamps,
  });
  await qi.addIndex('chat_bindings', ['channel', 'external_user_id'], { unique: true });
  await qi.addIndex('chat_bindings', ['person_id']);

  await qi.createTable('conversations', {
    id,
    channel: { type: DataTypes.STRING(16), allowNull: false },
    chat_id: { type: DataTypes.STRING(64), allowNull: false },
    flow: { type: DataTypes.STRING(64), allowNull: false },
    version: { type: DataTypes.INTEGER, allowNull: false },
    state: { type: DataTypes.TEXT, allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('conversations', ['channel', 'chat_id'], { unique: true });

  await qi.createTable('processed_updates', {
    id,
    channel: { type: DataTypes.STRING(16), allowNull: false },
    update_id: { type: DataTypes.STRING(32), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('processed_updates', ['channel', 'update_id'], { unique: true });
  await qi.addIndex('processed_updates', ['created_at']);

  await qi.createTable('outbox_messages', {
    id,
    channel: { type: DataTypes.STRING(16), allowNull: false },
    chat_id: { type: DataTypes.STRING(64), allowNull: false },
    person_id: { type: DataTypes.INTEGER, allowNull: true },
    payload: { type: DataTypes.TEXT, allowNull: false },
    dedupe_key: { type: DataTypes.STRING(200), allowNull: true, unique: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    available_at: { type: DataTypes.DATE, allowNull: false },
    sent_at: { type: DataTypes.DATE, allowNull: true },
    last_error: { type: DataTypes.STRING(500), allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('outbox_messages', ['status', 'available_at']);
  await qi.addIndex('outbox_messages', ['channel', 'chat_id', 'status']);

  await qi.createTable('rate_limits', {
    key: { type: DataTypes.STRING(100), primaryKey: true },
    failures: { type: DataTypes.INTEGER, allowNull: false },
    window_start: { type: DataTypes.DATE, allowNull: false },
    blocked_until: { type: DataTypes.DATE, allowNull: true },
  });

  await qi.createTable('job_locks', {
    name: { type: DataTypes.STRING(64), primaryKey: true },
    owner: { type: DataTypes.STRING(64), allowNull: false },
    locked_until: { type: DataTypes.DATE, allowNull: false },
  });

  await qi.createTable('audit_logs', {
    id,
    actor_person_id: { type: DataTypes.INTEGER, allowNull: true },
    org_id: { type: DataTypes.INTEGER, allowNull: true },
    action: { type: DataTypes.STRING(64), allowNull: false },
    target_type: { type: DataTypes.STRING(32), allowNull: false },
    target_id: { type: DataTypes.STRING(64), allowNull: true },
    before: { type: DataTypes.TEXT, allowNull: true },
    after: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('audit_logs', ['org_id', 'created_at']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'audit_logs',
    'job_locks',
    'rate_limits',
    'outbox_messages',
    'processed_updates',
    'conversations',
    'chat_bindings',
    'admins',
    'posts',
    'people',
    'organisations',
  ]) {
    await qi.dropTable(table);
  }
}
