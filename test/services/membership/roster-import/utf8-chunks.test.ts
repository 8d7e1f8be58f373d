/**
 * Chinese text split between two chunks of an .xlsx part: exceljs decoded each chunk on its own
 * and a character cut in two came out as U+FFFD (`��佳明`). Fixed by patches/exceljs+4.4.0.patch.
 */
import fc from 'fast-check';
import { writeRosterXlsx } from '../../../../bench/roster-data';
import { todayInChina } from '../../../../server/services/membership/roster-import/rows/dates';
import { normaliseOrgName } from '../../../../server/services/organisations/org-names';
import { readRoster } from '../../../../server/services/membership/roster-import/file/reader';
import type { ImportScope } from '../../../../server/services/membership/roster-import/scope';
import { RosterCheck } from '../../../../server/services/membership/roster-import/file/validate-file';
import type { ValidRosterRow } from '../../../../server/services/membership/roster-import/rows/validate-row';
import { checkXmlDecoding, parseSaxText } from '../../../../server/services/membership/roster-import/file/xml-decoding';
import { collect, handXlsx, HEADERS, type HandCell } from './helpers';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Characters of 1, 2, 3 and 4 UTF-8 bytes, none of them a space (cells are trimmed) nor `&` (exceljs decodes inline text twice). */
const char = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 0, max: ALNUM.length - 1 }).map((i) => ALNUM[i]) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.constant('·'), fc.integer({ min: 0x391, max: 0x3c9 }), fc.integer({ min: 0x410, max: 0x44f }))
      .map((c) => (typeof c === 'string' ? c : String.fromCodePoint(c))),
  },
  { weight: 6, arbitrary: fc.oneof(fc.integer({ min: 0x4e00, max: 0x9fff }), fc.constantFrom(0xff08, 0xff09, 0x3001)).map((c) => String.fromCodePoint(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x20000, max: 0x2a6df }).map((c) => String.fromCodePoint(c)) },
);
const text = fc.array(char, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));

function fakeScope(branch: string): ImportScope {
  const entry = { id: 1, fullName: branch };
  return {
    roots: [entry],
    branchByName: (key) => (key === normaliseOrgName(branch) ? entry : undefined),
    suggest: () => [],
    explainUnusable: async () => undefined,
  };
}

describe('R7 UTF-8 text split between chunks of an .xlsx part', () => {
  it('the installed exceljs is patched (checked before every .xlsx read)', async () => {
    await expect(checkXmlDecoding()).resolves.toBeUndefined();
  });

  it('exceljs XML parsing gives the exact text however the bytes are cut into pieces', () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
        async (texts, sizes) => {
          const xml = Buffer.from(`<sst>${texts.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`);
          expect(await parseSaxText(xml, sizes)).toBe(texts.join(''));
        },
      ),
      { numRuns: 300 },
    ));

  it('readRoster reads back thousands of distinct random strings exactly, shared and inline, at several chunk sizes', () =>
    fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(text, { minLength: 2000, maxLength: 3000 }),
        fc.array(fc.integer({ min: 50, max: 40_000 }), { minLength: 3, maxLength: 3 }),
        async (strings, chunkSizes) => {
          const rows: string[][] = [];
          for (let i = 0; i + 4 <= strings.length; i += 4) rows.push(strings.slice(i, i + 4));
          // 姓名 and 职务 inline, 身份证号码 and 所在团支部 from the shared-strings table.
          const cells = (r: string[]): Array<HandCell | null> => [
            { inline: r[0] },
            { shared: r[1] },
            { shared: r[2] },
            { shared: '团员' },
            { shared: '2019-05-04' },
            { inline: '13800138000' },
            { shared: '汉族' },
            { shared: '本科' },
            { inline: r[3] },
          ];
          const buffer = handXlsx([{ name: '团员信息', rows: [HEADERS.map((h) => ({ shared: h })), ...rows.map(cells)] }]);
          for (const inputChunkBytes of [undefined, 16_385, ...chunkSizes]) {
            const read = await collect(readRoster({ buffer, fileName: '名单.xlsx' }, { maxRows: 1000, inputChunkBytes }));
            expect(read.map((r) => [r.cells.name, r.cells.idNumber, r.cells.branchFullName, r.cells.postTitle])).toEqual(rows);
          }
        },
      ),
      { numRuns: 6, endOnFailure: true }, // a counterexample of thousands of strings is not worth shrinking
    ));

  it('R7 a 20,000-row roster with a different name on every row, written as Excel does (shared strings), validates clean', async () => {
    const branch = '共青团某某大学计算机学院2023级1班团支部';
    const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
    const nameOf = (i: number) => SURNAMES[i % 20] + String.fromCodePoint(0x4e00 + ((i * 7) % 20_000)) + String.fromCodePoint(0x5000 + Math.floor(i / 20));
    const buffer = (await writeRosterXlsx({ rows: 20_000, branches: [branch], edit: (row, i) => [nameOf(i), ...row.slice(1)] }))!;
    const check = await RosterCheck.open({ buffer, fileName: '名单.xlsx' }, fakeScope(branch), { maxRows: 100_000, today: todayInChina() });
    const valid: ValidRosterRow[] = [];
    for (let batch = await check.nextBatch(1000); batch.length > 0; batch = await check.nextBatch(1000)) valid.push(...batch);
    expect([...check.errors].slice(0, 3)).toEqual([]);
    expect(check.rowCount).toBe(20_000);
    expect(new Set(valid.map((r) => r.name)).size).toBe(20_000);
    expect(valid.every((r, i) => r.name === nameOf(i))).toBe(true);
  });
});
