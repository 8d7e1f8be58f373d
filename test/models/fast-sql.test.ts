import { QueryTypes } from 'sequelize';
import { bulkInsert } from '../../models/fast-sql';
import { createTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
  const id = sys.db.dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'SERIAL PRIMARY KEY';
  await sys.db.sequelize.query(`CREATE TABLE bulk_probe (id ${id}, label TEXT, n INTEGER, flag BOOLEAN, note TEXT, made TEXT, kind TEXT)`);
});
afterAll(() => sys.close());

const readBack = () =>
  sys.db.sequelize.query<{ label: string; n: number; flag: unknown; note: string | null; made: string; kind: string }>(
    'SELECT label, n, flag, note, made, kind FROM bulk_probe ORDER BY id',
    { type: QueryTypes.SELECT },
  );

describe('bulkInsert (the import writes through it)', () => {
  beforeEach(() => sys.db.sequelize.query('DELETE FROM bulk_probe'));

  it('R7 writes every row in order across statements, with text as typed and the same-valued columns given once', async () => {
    const tricky = ['王小明', 'a "quoted" \\ back\\slash', '表情 😀', "it's", '', '长'.repeat(3000)]; // JSON escapes, surrogate pairs, SQL quotes, a row longer than the room first made
    const rows = Array.from({ length: 7000 }, (_, i) => [tricky[i % tricky.length] + i, i, i % 2 === 0, i % 3 ? `备注${i}` : null]);
    await sys.db.transaction((t) => bulkInsert(sys.db.sequelize, t, 'bulk_probe', ['label', 'n', 'flag', 'note'], rows, { made: '2026-11-25', kind: '导入' }));
    const back = await readBack();
    expect(back).toHaveLength(7000);
    back.forEach((r, i) => {
      expect(r).toMatchObject({ label: rows[i][0], n: i, note: rows[i][3], made: '2026-11-25', kind: '导入' });
      expect(Boolean(r.flag)).toBe(i % 2 === 0);
    });
  });

  it('R7 binds chunks holding a value JSON cannot carry (a Buffer) as parameters: every row in order across statements, with the same columns', async () => {
    // More rows than one statement takes on either database at six columns (SQLite 5,333,
    // PostgreSQL 10,833) and a Buffer in every chunk: SQLite's parameter path, PostgreSQL's only one.
    const rows = Array.from({ length: 11_000 }, (_, i) => [`行${i}`, i, i % 2 === 0, i % 1000 === 0 ? Buffer.from(`原样字节${i}`) : i % 3 ? `备注${i}` : null]);
    await sys.db.transaction((t) => bulkInsert(sys.db.sequelize, t, 'bulk_probe', ['label', 'n', 'flag', 'note'], rows, { made: 'x', kind: 'y' }));
    const back = await readBack();
    // A Buffer comes back as a BLOB on SQLite and as the text of its bytes from PostgreSQL's TEXT column.
    const text = (v: unknown) => (v === null ? null : Buffer.isBuffer(v) ? v.toString() : String(v));
    expect(back.map((r) => [r.label, r.n, Boolean(r.flag), text(r.note), r.made, r.kind])).toEqual(
      rows.map(([label, n, flag, note]) => [label, n, flag, text(note), 'x', 'y']),
    );
    expect(text(back[3000].note)).toBe('原样字节3000');
  });
});
