import * as ExcelJS from 'exceljs';
import { buildErrorReport, ERROR_COLUMN_HEADER } from '../../../../server/services/membership/roster-import/error-report';
import { openRoster } from '../../../../server/services/membership/roster-import/file/reader';
import type { RowError } from '../../../../server/services/membership/roster-import/rows/validate-row';
import { BRANCH, collect, HEADERS, IDS, loadXlsx, makeXlsx, validRow } from './helpers';

const RED = 'FFFFC7CE';
const fillOf = (cell: { fill?: unknown }) => (cell.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;

async function reportFor(buffer: Buffer, fileName: string, errors: Map<number, RowError[]>) {
  const { header, batches } = await openRoster({ buffer, fileName }, { maxRows: 100 });
  await collect(batches);
  const report = await buildErrorReport({ buffer, fileName }, errors, header.columns);
  const wb = await loadXlsx(report);
  return { report, ws: wb.worksheets[0] };
}

describe('buildErrorReport', () => {
  const source = () =>
    makeXlsx(
      [
        [...HEADERS, '备注'],
        validRow({ 姓名: '=1+1', 入团时间: new Date(Date.UTC(2016, 8, 1)) }),
        validRow({ 身份证号码: IDS[1], 所在团支部: '+共青团某某', 手机号码: '-123' }),
        validRow({ 身份证号码: IDS[0] }),
      ].map((r, i) => (i === 0 ? r : [...r, i === 1 ? '@SUM(A1)' : '\t制表符'])),
    );

  it('R11 adds 错误信息 as the last column, fills wrong cells light red, keeps formula-like text as text cells', async () => {
    const errors = new Map<number, RowError[]>([
      [2, [{ column: 'name', message: '姓名“=1+1”不正确' }]],
      [
        3,
        [
          { column: 'branchFullName', message: '组织不存在：+共青团某某' },
          { column: 'phone', message: '手机号码“-123”不正确' },
        ],
      ],
      [4, [{ column: 'idNumber', message: '与第 2 行身份证号码重复' }]],
    ]);
    const { ws } = await reportFor(await source(), '名单.xlsx', errors);
    expect(ws.getCell('K1').value).toBe(ERROR_COLUMN_HEADER);
    expect(ws.getRow(1).values).toEqual([undefined, ...HEADERS, '备注', ERROR_COLUMN_HEADER]);
    expect(ws.getCell('A2').value).toBe('=1+1');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String); // a text cell: never evaluated
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(fillOf(ws.getCell('A2'))).toBe(RED);
    expect(fillOf(ws.getCell('B2'))).toBeUndefined();
    expect(ws.getCell('K2').value).toBe('姓名“=1+1”不正确');
    expect(ws.getCell('K3').value).toBe('组织不存在：+共青团某某；手机号码“-123”不正确');
    expect(ws.getCell('C3').value).toBe('+共青团某某');
    expect(ws.getCell('F3').value).toBe('-123');
    expect([ws.getCell('C3').type, ws.getCell('F3').type]).toEqual([ExcelJS.ValueType.String, ExcelJS.ValueType.String]);
    expect([fillOf(ws.getCell('C3')), fillOf(ws.getCell('F3')), fillOf(ws.getCell('A3'))]).toEqual([RED, RED, undefined]);
    expect(ws.getCell('J2').value).toBe('@SUM(A1)');
    expect(ws.getCell('J3').value).toBe('制表符'); // edge whitespace is trimmed on reading
    expect(ws.getCell('K4').value).toBe('与第 2 行身份证号码重复');
    expect(fillOf(ws.getCell('B4'))).toBe(RED);
    expect(ws.getCell('E2').value).toEqual(new Date(Date.UTC(2016, 8, 1)));
    expect(ws.getCell('B2').value).toBe(IDS[0]);
    expect(ws.getCell('B2').numFmt).toBe('@');
  });

  it('always writes .xlsx, also for CSV input', async () => {
    const csv = Buffer.from(
      `\ufeff${HEADERS.join(',')}\n${validRow({ 姓名: '=HYPERLINK("http://x")' })
        .map((v) => `"${String(v ?? '').replace(/"/g, '""')}"`)
        .join(',')}\n`,
    );
    const { report, ws } = await reportFor(csv, '名单.csv', new Map([[2, [{ column: 'name', message: '姓名不正确' }]]]));
    expect(report.subarray(0, 2).toString()).toBe('PK');
    expect(ws.getCell('A2').value).toBe('=HYPERLINK("http://x")');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('J1').value).toBe(ERROR_COLUMN_HEADER);
    expect(ws.getCell('J2').value).toBe('姓名不正确');
    expect(ws.getCell('C2').value).toBe(BRANCH);
  });

  it('a report sent back is read like the original, and reporting again reuses 错误信息, dropping old text', async () => {
    const first = await reportFor(await source(), '名单.xlsx', new Map([[3, [{ column: 'phone', message: '旧的错误' }]]]));
    const { header, batches } = await openRoster({ buffer: first.report, fileName: '错误报告.xlsx' }, { maxRows: 100 });
    expect(header.ignored).toEqual(['备注', ERROR_COLUMN_HEADER]);
    expect((await collect(batches)).flat().map((r) => r.rowNumber)).toEqual([2, 3, 4]);
    const second = await reportFor(first.report, '错误报告.xlsx', new Map([[4, [{ column: 'idNumber', message: '新的错误' }]]]));
    expect(second.ws.getCell('K1').value).toBe(ERROR_COLUMN_HEADER);
    expect(second.ws.getCell('L1').value).toBeNull();
    expect(second.ws.getCell('K3').value).toBeNull();
    expect(second.ws.getCell('K4').value).toBe('新的错误');
  });

  it('R7 text cells go back exactly as read: no quote added, the shared-strings table (a text type) used, so the report reads as the original did', async () => {
    const texts = ['+86 139 0951 0123', '-', '=SUM(A1:A2)', '@宣传委员', '-13912345678', "'已有引号", '1-2'];
    const buffer = await makeXlsx([HEADERS, ...texts.map((t) => validRow({ 手机号码: t, 职务: t }))]);
    const { report } = await reportFor(buffer, '名单.xlsx', new Map([[2, [{ column: 'name', message: '任意错误' }]]]));
    const { batches } = await openRoster({ buffer: report, fileName: '错误报告.xlsx' }, { maxRows: 100 });
    const rows = (await collect(batches)).flat();
    expect(rows.map((r) => [r.cells.phone, r.cells.postTitle])).toEqual(texts.map((t) => [t, t]));
    expect(report.includes(Buffer.from('xl/sharedStrings.xml'))).toBe(true);
  });
});
