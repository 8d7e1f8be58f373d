/** Headers and files as people make them: notes in headers, Chinese CSV encodings and separators, other sheets, formulas, numbers. */
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { normaliseOrgName } from '../../../../server/services/organisations/org-names';
import { buildErrorReport } from '../../../../server/services/membership/roster-import/error-report';
import { openRoster, readRoster } from '../../../../server/services/membership/roster-import/file/reader';
import { validateRow, type RowError, type ValidateContext } from '../../../../server/services/membership/roster-import/rows/validate-row';
import { parseIdCell } from '../../../../server/services/membership/roster-import/rows/values';
import { BRANCH, collect, handXlsx, HEADERS, IDS, loadXlsx, makeXlsx, validRow } from './helpers';

const read = (buffer: Buffer, fileName = '名单.xlsx') => collect(readRoster({ buffer, fileName }, { maxRows: 100 }));
const context = (): ValidateContext => ({
  branchByName: (key) => (key === normaliseOrgName(BRANCH) ? { id: 1, fullName: BRANCH } : undefined),
  suggest: () => [],
  seenIds: new Map(),
  today: '2024-06-30',
});
const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? '' : String(v));
const csvLines = (rows: ExcelJS.CellValue[][], sep = ',') => rows.map((r) => r.map(text).join(sep)).join('\r\n') + '\r\n';

describe('headers as people write them', () => {
  it('R7 a header with a note in brackets is read as its column: 身份证号（18位）, 所在团支部（全称）, 手机号码(必填)', async () => {
    const headers = [
      '姓名',
      '身份证号（18位）',
      '所在团支部（全称）',
      '政治面貌(团员/团干部)',
      '入团时间【年-月-日】',
      '手机号码(必填)',
      '民族',
      '学历 *',
      '职务',
    ];
    const { header } = await openRoster({ buffer: await makeXlsx([headers, validRow()]), fileName: 'a.xlsx' }, { maxRows: 5 });
    expect([...header.columns]).toEqual([
      ['name', 1],
      ['idNumber', 2],
      ['branchFullName', 3],
      ['role', 4],
      ['joinedAt', 5],
      ['phone', 6],
      ['ethnicity', 7],
      ['education', 8],
      ['postTitle', 9],
    ]);
    expect(header.ignored).toEqual([]);
  });

  it('R7 a header that cannot be read is named in the message, with its column and the column it may mean', async () => {
    const headers = ['姓名', '身份正号码', '所在团支部', '政治面貌', '入团时间', '联系手机号', '民族', '学历', '备注'];
    await expect(read(await makeXlsx([headers, validRow()]))).rejects.toThrow(
      '缺少必填列：身份证号码、手机号码。第 1 行（表头）中无法识别的列名：“身份正号码”（B 列，是否为“身份证号码”？）、“联系手机号”（F 列，是否为“手机号码”？）、“备注”（I 列）。请改用模板中的列名，或使用导入模板填写',
    );
    await expect(
      read(
        await makeXlsx([
          ['Name', 'ID'],
          ['张三', IDS[0]],
        ]),
      ),
    ).rejects.toThrow(
      '第 1 行应为表头（姓名、身份证号码、所在团支部、政治面貌、入团时间、手机号码、民族、学历、职务），但没有找到这些列名，读到的是：“Name”（A 列）、“ID”（B 列）',
    );
  });
});

describe('CSV as Excel and others save it', () => {
  const rows = (second: string) => [HEADERS, validRow({ 姓名: '欧阳娜娜' }), validRow({ 姓名: second, 身份证号码: IDS[1] })];

  it('R7 a CSV saved by Excel on Chinese Windows (GBK, no BOM) is read; GB18030 too, four-byte characters included', async () => {
    const gbk = iconv.encode(csvLines(rows('王五')), 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // really not UTF-8
    expect((await read(gbk, '名单.csv')).map((r) => [r.cells.name, r.cells.branchFullName])).toEqual([
      ['欧阳娜娜', BRANCH],
      ['王五', BRANCH],
    ]);
    const gb18030 = iconv.encode(csvLines(rows('李䶮')), 'gb18030'); // 䶮: a character GBK lacks
    expect((await read(gb18030, '名单.csv')).map((r) => r.cells.name)).toEqual(['欧阳娜娜', '李䶮']);
  });

  it('R7 UTF-16 “Unicode 文本” (tab-separated, as Excel saves it) and a semicolon-separated CSV are read', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvLines(rows('李䶮'), '\t'), 'utf16le')]);
    expect((await read(utf16, '名单.txt')).map((r) => r.cells.name)).toEqual(['欧阳娜娜', '李䶮']);
    const semicolons = Buffer.from(
      `\ufeff${csvLines([...rows('李䶮'), validRow({ 所在团支部: '共青团某某大学（筹）委员会;计算机学院团支部' }).map((v, i) => (i === 2 ? `"${text(v)}"` : v))], ';')}`,
    );
    const read3 = await read(semicolons, '名单.csv');
    expect(read3.map((r) => r.cells.idNumber)).toEqual([IDS[0], IDS[1], IDS[0]]);
    expect(read3[2].cells.branchFullName).toBe('共青团某某大学（筹）委员会;计算机学院团支部');
  });
});

describe('workbooks as people make them', () => {
  it('R7 a roster on the second sheet is found; the error report is built from that sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRows([['团员名单（2024 年）'], ['请勿修改第二个工作表的表头']]);
    wb.addWorksheet('名单').addRows([HEADERS, validRow(), validRow({ 姓名: '王五', 身份证号码: IDS[1] })]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const { header, batches } = await openRoster({ buffer, fileName: 'a.xlsx' }, { maxRows: 10 });
    expect(header.sheet).toEqual({ index: 1, name: '名单', count: 2 });
    expect((await collect(batches)).flat().map((r) => r.cells.name)).toEqual(['张晓明', '王五']);
    const report = await loadXlsx(
      await buildErrorReport({ buffer, fileName: 'a.xlsx' }, new Map<number, RowError[]>([[3, [{ column: 'name', message: '错' }]]]), header.columns),
    );
    const ws = report.worksheets[0];
    expect([ws.getCell('A1').value, ws.getCell('A3').value, ws.getCell('J3').value]).toEqual(['姓名', '王五', '错']);
  });

  it('R7 the sheet that was read is named when its header cannot be used, and every sheet when none has one', async () => {
    const twoSheets = async (first: ExcelJS.CellValue[][], second: ExcelJS.CellValue[][]) => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('封面').addRows(first);
      wb.addWorksheet('名单').addRows(second);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    await expect(read(await twoSheets([['封面']], [HEADERS.filter((h) => h !== '民族'), validRow()]))).rejects.toThrow('工作表“名单”：缺少必填列：民族');
    await expect(read(await twoSheets([['封面']], [['说明'], ['无']]))).rejects.toThrow('在工作表“封面”“名单”中都没有找到表头');
  });

  it('R7 a formula without a stored result is reported as a formula, not as 未填写, and shown in the report', async () => {
    const buffer = handXlsx([
      {
        name: 'Sheet1',
        rows: [
          HEADERS.map((h) => ({ shared: h })),
          validRow().map((v, i) =>
            i === 0 ? { formula: 'CONCATENATE("张","晓明")' } : i === 2 ? { formula: 'Sheet2!A1', result: BRANCH } : v === null ? null : { shared: text(v) },
          ),
        ],
      },
    ]);
    const [row] = await read(buffer);
    expect(row.cells).toMatchObject({ name: null, branchFullName: BRANCH });
    expect(row.formulas).toEqual({ name: 'CONCATENATE("张","晓明")' });
    expect(validateRow(row, context())).toEqual({
      ok: false,
      errors: [
        {
          column: 'name',
          message:
            '姓名是公式（=CONCATENATE("张","晓明")），文件中没有保存它的计算结果：请在 Excel 或 WPS 中打开并保存后重新发送，或把公式换成它的值（复制后“选择性粘贴 → 数值”）',
        },
      ],
    });
    const { header } = await openRoster({ buffer, fileName: 'a.xlsx' }, { maxRows: 5 });
    const report = await loadXlsx(
      await buildErrorReport({ buffer, fileName: 'a.xlsx' }, new Map([[2, [{ column: 'name' as const, message: '公式' }]]]), header.columns),
    );
    expect(report.worksheets[0].getCell('A2').value).toBe('=CONCATENATE("张","晓明")');
  });

  it('R1 an exact 15-digit ID number stored as a number cell is upgraded to 18 digits; an 18-digit number is still refused', async () => {
    expect(parseIdCell(110105990615123)).toEqual({ ok: true, value: { value: '11010519990615123X', birthDate: '1999-06-15', gender: 'M' } });
    expect(parseIdCell(110105200506151230)).toMatchObject({ ok: false, message: expect.stringContaining('存成了数字') });
    expect(parseIdCell(1.10105990615123e14 + 0.5)).toMatchObject({ ok: false });
    const [row] = await read(await makeXlsx([HEADERS, validRow({ 身份证号码: 110105990615123 })]));
    expect(validateRow(row, context())).toMatchObject({ ok: true, value: { idNumber: '11010519990615123X', birthDate: '1999-06-15' } });
  });
});
