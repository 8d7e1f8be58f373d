/**
 * LIKE patterns from typed text (server/lib/like.ts) on the test database: SQLite by default,
 * PostgreSQL when TEST_DATABASE_URL names one. `%`, `_` and `\` typed match themselves only.
 */
import { QueryTypes } from 'sequelize';
import { Organisation } from '../../models';
import { containsPattern, escapeLike, LIKE_ESCAPE, whereContains } from '../../server/lib/like';
import { buildOrg } from '../helpers/fixtures/factories';
import { createTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** Whether `value LIKE containsPattern(text) ESCAPE '\'` holds on the test database. */
async function contains(value: string, text: string): Promise<boolean> {
  const [row] = await sys.db.sequelize.query<{ hit: number | boolean }>(`SELECT CASE WHEN :value LIKE :pattern ${LIKE_ESCAPE} THEN 1 ELSE 0 END AS hit`, {
    replacements: { value, pattern: containsPattern(text) },
    type: QueryTypes.SELECT,
  });
  return Number(row.hit) === 1;
}

describe('escaping LIKE wildcards in typed text', () => {
  it('escapeLike puts a backslash before %, _ and the backslash itself, and nothing else', () => {
    expect(escapeLike('50%_off\\x')).toBe('50\\%\\_off\\\\x');
    expect(escapeLike('计算机 支部')).toBe('计算机 支部');
    expect(containsPattern('%')).toBe('%\\%%');
  });

  it.each([
    ['计算机系团支部', '%', false],
    ['计算机系团支部', '_', false],
    ['计算机系团支部', '计算机', true],
    ['完成率100%的团支部', '100%', true],
    ['完成率100%的团支部', '%的', true],
    ['a_b 团支部', 'a_b', true],
    ['axb 团支部', 'a_b', false],
    ['路径\\名', '\\', true],
    ['路径名', '\\', false],
    ["O'Neil 团支部", "O'N", true],
  ])('on the test database, %j contains %j as typed: %s', async (value, text, expected) => {
    await expect(contains(value, text)).resolves.toBe(expected);
  });

  it('whereContains finds organisations by the text as typed in a Sequelize finder', async () => {
    const percent = await buildOrg(sys, { fullName: '共青团百分%测试委员会', shortName: '百分%测试' });
    const plain = await buildOrg(sys, { fullName: '共青团百分比测试委员会', shortName: '百分比测试' });
    const under = await buildOrg(sys, { fullName: '共青团下划_测试委员会', shortName: '下划_测试' });
    const find = (text: string) =>
      Organisation.findAll({ where: whereContains(sys.db.sequelize, 'full_name', text), order: [['id', 'ASC']] }).then((r) => r.map((o) => o.id));
    expect(await find('百分%')).toEqual([percent.id]);
    expect(await find('百分')).toEqual([percent.id, plain.id]);
    expect(await find('下划_')).toEqual([under.id]);
    expect(await find('%')).toEqual([percent.id]);
    expect(await find('_')).toEqual([under.id]);
  });
});
