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

  it('R7 on SQLite, binds a chunk holding a value JSON cannot carry (a Buffer) as parameters, with the same columns', async () => {
    if (sys.db.dialect !== 'sqlite') return expect(sys.db.dialect).toBe('postgres'); // PostgreSQL always binds parameters
    const rows = [['甲', 1, true, Buffer.from('原样字节')], ['乙', 2, false, null]];
    await sys.db.transaction((t) => bulkInsert(sys.db.sequelize, t, 'bulk_probe', ['label', 'n', 'flag', 'note'], rows, { made: 'x', kind: 'y' }));
    const back = await readBack();
    expect(back.map((r) => [r.label, r.n, Boolean(r.flag), r.made, r.kind])).toEqual([['甲', 1, true, 'x', 'y'], ['乙', 2, false, 'x', 'y']]);
    expect(Buffer.from(back[0].note as unknown as Buffer).toString()).toBe('原样字节');
    expect(back[1].note).toBeNull();
  });
});
