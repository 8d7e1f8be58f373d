import { DataTypes, QueryInterface } from 'sequelize';

/**
 * Meetings, league lessons and league days (R18) with their participants, registration and
 * sign-in (R19), and how often each kind is due (三会两制一课), kept as data with its defaults.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const ref = (model: string, allowNull = false) => ({ type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' } });
  await qi.createTable('activities', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    org_id: ref('organisations'),
    kind: { type: DataTypes.STRING(24), allowNull: false },
    title: { type: DataTypes.STRING(100), allowNull: false },
    starts_at: { type: DataTypes.DATE, allowNull: false },
    ends_at: { type: DataTypes.DATE, allowNull: false },
    place: { type: DataTypes.STRING(100), allowNull: true },
    organiser: { type: DataTypes.STRING(50), allowNull: true },
    notes: { type: DataTypes.STRING(500), allowNull: true },
    created_by_person_id: ref('people'),
    signin_mode: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'auto' },
    signin_before_min: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 15 },
    signin_after_min: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 30 },
    signin_code: { type: DataTypes.STRING(8), allowNull: false },
    signin_token: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    allow_walk_ins: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    counter_channel: { type: DataTypes.STRING(16), allowNull: true },
    counter_chat_id: { type: DataTypes.STRING(64), allowNull: true },
    counter_message_id: { type: DataTypes.STRING(32), allowNull: true },
    counts_changed_at: { type: DataTypes.DATE, allowNull: true },
    counts_shown_at: { type: DataTypes.DATE, allowNull: true },
    eve_reminded_at: { type: DataTypes.DATE, allowNull: true },
    signin_reminded_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('activities', ['org_id', 'starts_at']);
  await qi.addIndex('activities', ['signin_code']);
  await qi.addIndex('activities', ['starts_at']);
  await qi.createTable('activity_participants', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    activity_id: ref('activities'),
    person_id: ref('people'),
    response: { type: DataTypes.STRING(12), allowNull: false, defaultValue: 'invited' },
    responded_at: { type: DataTypes.DATE, allowNull: true },
    signed_in_at: { type: DataTypes.DATE, allowNull: true },
    walk_in: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    notified_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('activity_participants', ['activity_id', 'person_id'], { unique: true });
  await qi.addIndex('activity_participants', ['person_id']);
  await qi.createTable('duty_rules', {
    kind: { type: DataTypes.STRING(24), primaryKey: true },
    period: { type: DataTypes.STRING(8), allowNull: false },
    times: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
  });
  // 三会两制一课: 支部委员会 and 团小组会 monthly, 支部团员大会 and 团课 quarterly (defaults; admins of the data may change them).
  await qi.bulkInsert('duty_rules', [
    { kind: 'committee_meeting', period: 'month', times: 1 },
    { kind: 'group_meeting', period: 'month', times: 1 },
    { kind: 'branch_congress', period: 'quarter', times: 1 },
    { kind: 'lesson', period: 'quarter', times: 1 },
  ]);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('duty_rules');
  await qi.dropTable('activity_participants');
  await qi.dropTable('activities');
}
