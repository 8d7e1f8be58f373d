import { DataTypes, QueryInterface } from 'sequelize';

// The standard in force when this migration was written (中青发〔2016〕13号, article 5; see
// seeds/fee-standards.ts for the source), frozen here: a migration is history, and editing the
// seeds must never change what it inserts. Money in fen.
const FEE_STANDARD_2016 = {
  name: '中青发〔2016〕13号',
  title: '关于中国共产主义青年团团费收缴、使用和管理的规定',
  article: '第五条',
  validFrom: '2016-01',
  bands: [
    { category: 'student', wageFromFen: 0, flatFen: 20, ratePerMille: null, roundingFen: null, capFen: null },
    { category: 'unemployed', wageFromFen: 0, flatFen: 20, ratePerMille: null, roundingFen: null, capFen: null },
    { category: 'relief', wageFromFen: 0, flatFen: 20, ratePerMille: null, roundingFen: null, capFen: null },
    { category: 'wage', wageFromFen: 0, flatFen: 300, ratePerMille: null, roundingFen: null, capFen: null },
    { category: 'wage', wageFromFen: 200_000, flatFen: null, ratePerMille: 2, roundingFen: 100, capFen: 2_000 },
  ],
} as const;

/**
 * Fees (团费, R20): the standards with their bands (seeded with the one in force, on every
 * database), each member's fee category and wage over time, and the payments (reversed, never
 * edited). Money is integer fen throughout.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const ref = (model: string, allowNull = false) => ({ type: DataTypes.INTEGER, allowNull, references: { model, key: 'id' } });
  await qi.createTable('fee_standards', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    name: { type: DataTypes.STRING(100), allowNull: false },
    title: { type: DataTypes.STRING(200), allowNull: false },
    article: { type: DataTypes.STRING(50), allowNull: true },
    valid_from: { type: DataTypes.STRING(7), allowNull: false },
    created_by_person_id: ref('people', true),
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.createTable('fee_standard_bands', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    standard_id: ref('fee_standards'),
    category: { type: DataTypes.STRING(16), allowNull: false },
    wage_from_fen: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    flat_fen: { type: DataTypes.INTEGER, allowNull: true },
    rate_per_mille: { type: DataTypes.INTEGER, allowNull: true },
    rounding_fen: { type: DataTypes.INTEGER, allowNull: true },
    cap_fen: { type: DataTypes.INTEGER, allowNull: true },
  });
  await qi.addIndex('fee_standard_bands', ['standard_id']);
  await qi.createTable('fee_profiles', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    person_id: ref('people'),
    valid_from: { type: DataTypes.STRING(7), allowNull: false },
    category: { type: DataTypes.STRING(16), allowNull: false },
    wage_fen: { type: DataTypes.INTEGER, allowNull: true },
    status: { type: DataTypes.STRING(12), allowNull: false },
    set_by_person_id: ref('people'),
    decided_by_person_id: ref('people', true),
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('fee_profiles', ['person_id', 'valid_from']);
  await qi.addIndex('fee_profiles', ['status']);
  await qi.createTable('fee_payments', {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    person_id: ref('people'),
    org_id: ref('organisations'),
    year: { type: DataTypes.INTEGER, allowNull: false },
    from_month: { type: DataTypes.STRING(7), allowNull: false },
    to_month: { type: DataTypes.STRING(7), allowNull: false },
    amount_fen: { type: DataTypes.INTEGER, allowNull: false },
    // Unique: an entry is reversed at most once.
    reverses_id: { type: DataTypes.INTEGER, allowNull: true, unique: true, references: { model: 'fee_payments', key: 'id' } },
    note: { type: DataTypes.STRING(200), allowNull: true },
    source: { type: DataTypes.STRING(8), allowNull: false },
    recorded_by_person_id: ref('people'),
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('fee_payments', ['person_id', 'year']);
  await qi.addIndex('fee_payments', ['org_id', 'year']);

  const now = new Date();
  for (const s of [FEE_STANDARD_2016]) {
    await qi.bulkInsert('fee_standards', [
      { name: s.name, title: s.title, article: s.article, valid_from: s.validFrom, created_by_person_id: null, created_at: now },
    ]);
    const [row] = (await qi.sequelize.query('SELECT id FROM fee_standards WHERE name = :name AND valid_from = :from ORDER BY id DESC', {
      replacements: { name: s.name, from: s.validFrom },
      type: 'SELECT',
    })) as Array<{ id: number }>;
    await qi.bulkInsert(
      'fee_standard_bands',
      s.bands.map((b) => ({
        standard_id: row.id,
        category: b.category,
        wage_from_fen: b.wageFromFen,
        flat_fen: b.flatFen,
        rate_per_mille: b.ratePerMille,
        rounding_fen: b.roundingFen,
        cap_fen: b.capFen,
      })),
    );
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('fee_payments');
  await qi.dropTable('fee_profiles');
  await qi.dropTable('fee_standard_bands');
  await qi.dropTable('fee_standards');
}
