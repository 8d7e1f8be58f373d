import type { CellValue } from '../../../../server/services/membership/roster-import/file/cells';
import type { ColumnKey } from '../../../../server/services/membership/roster-import/rows/columns';
import type { RosterRow } from '../../../../server/services/membership/roster-import/file/reader';
import { normaliseOrgName, createNameSuggester } from '../../../../server/services/membership/roster-import/rows/values';
import { checkDigit } from '../../../../server/lib/id-number';
import { ageOn, validateRow, type ValidateContext } from '../../../../server/services/membership/roster-import/rows/validate-row';
import { IDS } from './helpers';

const BRANCHES = [
  { id: 7, fullName: '共青团某某大学(筹)委员会' },
  { id: 8, fullName: '共青团某某大学计算机学院2023级1班团支部' },
  { id: 9, fullName: '共青团某某大学计算机学院2023级2班团支部' },
];

function context(): ValidateContext {
  const byKey = new Map(BRANCHES.map((b) => [normaliseOrgName(b.fullName), b]));
  return {
    branchByName: (key) => byKey.get(key),
    suggest: createNameSuggester(BRANCHES.map((b) => b.fullName)),
    seenIds: new Map(),
    today: '2024-06-30',
  };
}

function row(rowNumber: number, overrides: Partial<Record<ColumnKey, CellValue>> = {}): RosterRow {
  return {
    rowNumber,
    cells: {
      name: '张晓明',
      idNumber: IDS[0],
      branchFullName: BRANCHES[1].fullName,
      role: '团员',
      joinedAt: '2019-05-04',
      phone: '13800138000',
      ethnicity: '汉',
      education: '大学本科',
      postTitle: null,
      ...overrides,
    },
  };
}

describe('validateRow', () => {
  it('R7 turns a good row into typed values', () => {
    expect(validateRow(row(2, { role: '团干部', postTitle: '组织委员', joinedAt: new Date(Date.UTC(2019, 4, 4)) }), context())).toEqual({
      ok: true,
      value: {
        rowNumber: 2,
        name: '张晓明',
        idNumber: IDS[0],
        birthDate: '2005-06-15',
        gender: 'M',
        branchId: 8,
        branchFullName: BRANCHES[1].fullName,
        role: 'cadre',
        joinedAt: '2019-05-04',
        phone: '13800138000',
        ethnicity: '汉族',
        education: '本科',
        postTitle: '组织委员',
      },
    });
  });

  it('R11 共青团某某大学（筹）委员会 matches the branch stored as 共青团某某大学(筹)委员会', () => {
    const r = validateRow(row(2, { branchFullName: ' 共青团某某大学（筹）委员会 ' }), context());
    expect(r).toMatchObject({ ok: true, value: { branchId: 7, branchFullName: '共青团某某大学(筹)委员会' } });
  });

  it('R11 an unknown branch gives 组织不存在 with the name as read and the closest full names', () => {
    const r = validateRow(row(3, { branchFullName: '计算机学院2023级1班团支部' }), context());
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          column: 'branchFullName',
          message: '组织不存在：计算机学院2023级1班团支部，您是否要填写：共青团某某大学计算机学院2023级1班团支部',
        },
      ],
    });
    expect(validateRow(row(3, { branchFullName: '共青团某某大学计算机学院2023级3班团支部' }), context())).toMatchObject({
      ok: false,
      errors: [
        {
          message:
            '组织不存在：共青团某某大学计算机学院2023级3班团支部，您是否要填写：共青团某某大学计算机学院2023级1班团支部、共青团某某大学计算机学院2023级2班团支部',
        },
      ],
    });
    expect(validateRow(row(4, { branchFullName: '北京市第一百中学' }), context())).toEqual({
      ok: false,
      errors: [{ column: 'branchFullName', message: '组织不存在：北京市第一百中学' }],
    });
  });

  it('R4 the same ID number twice in the file: the later row is refused, naming the first', () => {
    const ctx = context();
    expect(validateRow(row(2), ctx).ok).toBe(true);
    expect(validateRow(row(3, { idNumber: IDS[1] }), ctx).ok).toBe(true);
    expect(validateRow(row(9, { idNumber: ` ${IDS[0]} ` }), ctx)).toEqual({
      ok: false,
      errors: [{ column: 'idNumber', message: '与第 2 行身份证号码重复' }],
    });
    expect(validateRow(row(10, { idNumber: IDS[1].toLowerCase(), phone: 'x' }), ctx)).toMatchObject({
      ok: false,
      errors: [{ column: 'idNumber', message: '与第 3 行身份证号码重复' }, { column: 'phone' }],
    });
  });

  it('R4 the template example person (its ID number) is refused with its real row number, whatever else was changed', () => {
    const example = { idNumber: '110105200506151236', name: '张晓明', branchFullName: BRANCHES[2].fullName };
    expect(validateRow(row(2, example), context())).toEqual({
      ok: false,
      errors: [{ column: 'idNumber', message: '第 2 行是模板中的示例，请删除后重新发送' }],
    });
    // Moved down, renamed, branch unknown, phone broken: only the example is named; its ID number is not recorded as seen.
    const ctx = context();
    expect(validateRow(row(7, { ...example, name: '李四', branchFullName: '不存在', phone: '1', idNumber: ' 110105200506151236 ' }), ctx)).toEqual({
      ok: false,
      errors: [{ column: 'idNumber', message: '第 7 行是模板中的示例，请删除后重新发送' }],
    });
    expect(ctx.seenIds.size).toBe(0);
  });

  describe('R24 league age on the day of the import (2024-06-30)', () => {
    const born = (day: string) => {
      const first17 = `110105${day.replace(/-/g, '')}123`;
      return first17 + checkDigit(first17);
    };
    const ageError = (r: ReturnType<typeof validateRow>) => (r.ok ? undefined : r.errors.find((e) => e.column === 'idNumber')?.message);

    it('R24 under 14 is refused with the reason; 14 on the day is accepted', () => {
      expect(ageError(validateRow(row(2, { idNumber: born('2010-07-01'), joinedAt: '2024-01-01' }), context()))).toBe(
        '年龄不满 14 周岁（出生日期 2010-07-01，来自身份证号码），不能作为团员导入，请核对身份证号码',
      );
      expect(validateRow(row(2, { idNumber: born('2010-06-30'), joinedAt: '2024-06-30' }), context()).ok).toBe(true);
    });

    it('R24 28 and over without a league post is refused with the reason; 27 is accepted', () => {
      const leaving =
        '已满 28 周岁（出生日期 1996-06-30，来自身份证号码）且未担任团内职务，按规定应离团，不能导入；担任团内职务的，请把政治面貌填为“团干部”并填写职务';
      expect(validateRow(row(2, { idNumber: born('1996-06-30') }), context())).toEqual({ ok: false, errors: [{ column: 'idNumber', message: leaving }] });
      expect(ageError(validateRow(row(2, { idNumber: born('1996-06-30'), role: '团干部' }), context()))).toBe(leaving); // a cadre without a post
      expect(ageError(validateRow(row(2, { idNumber: born('1996-06-30'), role: '团干部', postTitle: '无' }), context()))).toBe(leaving);
      expect(ageError(validateRow(row(2, { idNumber: born('1990-01-01'), postTitle: '-' }), context()))).toMatch(/^已满 28 周岁/);
      expect(validateRow(row(2, { idNumber: born('1996-07-01') }), context()).ok).toBe(true);
    });

    it('R24 a 团干部 holding a post (a 职务 given) is kept whatever the age', () => {
      expect(validateRow(row(2, { idNumber: born('1990-01-01'), role: '团干部', postTitle: '团委书记' }), context())).toMatchObject({
        ok: true,
        value: { role: 'cadre', postTitle: '团委书记' },
      });
    });

    it('a birthday on 29 February counts from 1 March in other years', () => {
      expect(ageOn('2008-02-29', '2022-02-28')).toBe(13);
      expect(ageOn('2008-02-29', '2022-03-01')).toBe(14);
      expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    });
  });

  it('R1 refuses an ID number cell that Excel stored as a number', () => {
    expect(validateRow(row(2, { idNumber: 110105200506151230 }), context())).toEqual({
      ok: false,
      errors: [{ column: 'idNumber', message: '身份证号码被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”格式后重新填写' }],
    });
  });

  it('R16 required fields: every empty required cell is reported at once, with its column', () => {
    const r = validateRow(
      row(5, { name: null, idNumber: null, branchFullName: null, role: null, joinedAt: null, phone: null, ethnicity: null, education: null }),
      context(),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.column)).toEqual(['name', 'idNumber', 'branchFullName', 'role', 'joinedAt', 'phone', 'ethnicity', 'education']);
    expect(r.errors.map((e) => e.message)).toContain('入团时间未填写');
  });

  it('checks dates, phone, role and that joining comes after birth', () => {
    const r = validateRow(row(6, { joinedAt: '2004-01-01', phone: '1234', role: '党员' }), context());
    expect(r).toEqual({
      ok: false,
      errors: [
        { column: 'role', message: '政治面貌“党员”无法识别，请填“团员”或“团干部”' },
        { column: 'joinedAt', message: '入团时间 2004-01-01 不晚于出生日期 2005-06-15（来自身份证号码），请检查' },
        { column: 'phone', message: '手机号码“1234”不正确：应为 11 位中国大陆手机号码，以 1 开头' },
      ],
    });
    expect(validateRow(row(7, { joinedAt: '2024-07-01' }), context())).toMatchObject({
      ok: false,
      errors: [{ column: 'joinedAt', message: '入团时间 2024-07-01 晚于今天，请检查' }],
    });
  });
});
