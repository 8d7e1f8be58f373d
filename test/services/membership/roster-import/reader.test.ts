import * as ExcelJS from 'exceljs';
import { COLUMNS } from '../../../../server/services/membership/roster-import/rows/columns';
import { openRoster, readRoster, RosterFormatError, type RosterRow } from '../../../../server/services/membership/roster-import/file/reader';
import { buildTemplate, INSTRUCTIONS_SHEET, TEMPLATE_SHEET } from '../../../../server/services/membership/roster-import/template';
import { TEMPLATE_EXAMPLE_ID, validateRow } from '../../../../server/services/membership/roster-import/rows/validate-row';
import { ZIP_MESSAGES } from '../../../../server/services/membership/roster-import/file/zip-guard';
import { BRANCH, collect, HEADERS, IDS, loadXlsx, makeXlsx, validRow, WORKBOOK_PARTS, writeZip } from './helpers';

const read = (buffer: Buffer, fileName = '名单.xlsx', maxRows = 100) => collect(readRoster({ buffer, fileName }, { maxRows }));

describe('buildTemplate', () => {
  it('R7 R4 template round-trip: headers recognised, example row well-formed but refused as the example, ID column is text', async () => {
    const buffer = await buildTemplate({ maxRows: 500 });
    const { header, batches } = await openRoster({ buffer, fileName: '模板.xlsx' }, { maxRows: 500 });
    expect([...header.columns.keys()]).toEqual(COLUMNS.map((c) => c.key));
    expect(header.ignored).toEqual([]);
    const [example] = (await collect(batches)).flat();
    const exampleBranch = COLUMNS.find((c) => c.key === 'branchFullName')!.example;
    const ctx = {
      branchByName: (n: string) => (n === exampleBranch ? { id: 1, fullName: exampleBranch } : undefined),
      suggest: () => [],
      seenIds: new Map<string, number>(),
    };
    // Every value of the example is one the import accepts: with another person's ID number the row is valid …
    expect(validateRow({ ...example, cells: { ...example.cells, idNumber: IDS[0] } }, ctx)).toMatchObject({
      ok: true,
      value: { name: '张晓明', joinedAt: '2019-05-04', role: 'member' },
    });
    // … but the example person itself never becomes an account (R4: its real owner could not register).
    expect(example.cells.idNumber).toBe(TEMPLATE_EXAMPLE_ID);
    expect(validateRow(example, { ...ctx, seenIds: new Map() })).toEqual({
      ok: false,
      errors: [{ column: 'idNumber', message: '第 2 行是模板中的示例，请删除后重新发送' }],
    });

    const wb = await loadXlsx(buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([TEMPLATE_SHEET, INSTRUCTIONS_SHEET]);
    const ws = wb.getWorksheet(TEMPLATE_SHEET)!;
    expect(ws.getCell('A1').text).toBe('姓名*');
    expect(ws.getCell('I1').text).toBe('职务');
    expect(ws.getCell('B2').numFmt).toBe('@');
    expect(ws.getCell('B2').value).toBe(TEMPLATE_EXAMPLE_ID);
    expect(ws.getColumn(2).numFmt).toBe('@');
    const help = wb.getWorksheet(INSTRUCTIONS_SHEET)!;
    const helpText: string[] = [];
    help.eachRow((row) => helpText.push(String(row.getCell(1).value)));
    for (const c of COLUMNS) expect(helpText).toContain(c.header);
  });
});

describe('readRoster (.xlsx)', () => {
  it('R7 finds columns in any order, with spaces, full-width spaces, * and （必填） markers, ignoring extra columns', async () => {
    const header = [' 手机号码 ', '备注', '身份证号码*', '\u3000姓名（必填）', '所在团支部 *', '学历', '政治面貌', '民族', '入团时间＊'];
    const row = ['13800138000', '随便写', IDS[0], '张晓明', BRANCH, '本科', '团员', '汉族', '2019-05-04'];
    const rows = await read(await makeXlsx([['团员信息导入表'], header, [], row]));
    expect(rows).toEqual<RosterRow[]>([
      {
        rowNumber: 4,
        cells: {
          name: '张晓明',
          idNumber: IDS[0],
          branchFullName: BRANCH,
          role: '团员',
          joinedAt: '2019-05-04',
          phone: '13800138000',
          ethnicity: '汉族',
          education: '本科',
          postTitle: null,
        },
      },
    ]);
    const { header: h } = await openRoster({ buffer: await makeXlsx([header, row]), fileName: 'a.xlsx' }, { maxRows: 5 });
    expect(h.ignored).toEqual(['备注']);
    expect(h.columns.get('phone')).toBe(1);
  });

  it('reads date cells, serials, formulas (their cached result), rich text, hyperlinks and numbers', async () => {
    const buffer = await makeXlsx([
      HEADERS,
      validRow({
        姓名: { formula: 'CONCATENATE("张","晓明")', result: '张晓明' },
        入团时间: new Date(Date.UTC(2016, 8, 1)),
        民族: { richText: [{ text: '汉' }, { text: '族', font: { bold: true } }] },
        职务: { text: '书记', hyperlink: 'https://example.org' },
        手机号码: 13800138000,
      }),
      validRow({ 身份证号码: 110105200506151230, 入团时间: 42614 }),
    ]);
    const [a, b] = await read(buffer);
    expect(a.cells).toMatchObject({ name: '张晓明', joinedAt: new Date(Date.UTC(2016, 8, 1)), ethnicity: '汉族', postTitle: '书记', phone: 13800138000 });
    expect(b.cells).toMatchObject({ idNumber: 110105200506151230, joinedAt: 42614 });
  });

  it('R7 R20: a fee payment sheet sent as a member list says to send it after /fee_import', async () => {
    const buffer = await makeXlsx([
      ['姓名', '身份证号码', '交费月份', '金额（元）', '备注'],
      ['张三', '', '2026-01至2026-06', 1.2, ''],
    ]);
    await expect(read(buffer)).rejects.toThrow(/这是团费交纳表.*请先发送 \/fee_import/);
  });

  it('reports missing required columns by name', async () => {
    const buffer = await makeXlsx([
      ['姓名', '所在团支部', '民族', '职务'],
      ['张三', BRANCH, '汉族', ''],
    ]);
    await expect(read(buffer)).rejects.toThrow(
      new RosterFormatError('缺少必填列：身份证号码、政治面貌、入团时间、手机号码、学历。请在第 1 行（表头）补上这些列，或使用导入模板填写'),
    );
  });

  it('refuses a column given twice, and a sheet without any known header', async () => {
    await expect(read(await makeXlsx([[...HEADERS, '身份证号'], validRow()]))).rejects.toThrow('“身份证号码”列出现了两次（第 B 列和第 J 列）');
    await expect(
      read(
        await makeXlsx([
          ['a', 'b'],
          ['c', 'd'],
        ]),
      ),
    ).rejects.toThrow('第 1 行应为表头');
    await expect(read(await makeXlsx([HEADERS]))).rejects.toThrow('只有表头，没有团员信息');
  });

  it('R7 stops past maxRows with 超过行数上限, reporting progress on the way', async () => {
    const rows = Array.from({ length: 12 }, () => validRow());
    const buffer = await makeXlsx([HEADERS, ...rows]);
    const progress: number[] = [];
    const gen = readRoster({ buffer, fileName: 'a.xlsx' }, { maxRows: 10, progressEvery: 4, onProgress: (n) => void progress.push(n) });
    await expect(collect(gen)).rejects.toThrow(new RosterFormatError('超过行数上限 10 行，请拆分后分批导入'));
    expect(progress).toEqual([4, 8]);
    const ok: number[] = [];
    await collect(readRoster({ buffer, fileName: 'a.xlsx' }, { maxRows: 12, progressEvery: 5, onProgress: (n) => void ok.push(n) }));
    expect(ok).toEqual([5, 10, 12]);
  });

  it('skips empty rows but keeps sheet row numbers', async () => {
    const rows = await read(await makeXlsx([HEADERS, validRow(), [], [null, '   '], validRow({ 姓名: '李四' })]));
    expect(rows.map((r) => [r.rowNumber, r.cells.name])).toEqual([
      [2, '张晓明'],
      [5, '李四'],
    ]);
  });

  it('R7 refuses a text file renamed .xlsx, an .xls, and other file types with a clear message', async () => {
    await expect(read(Buffer.from('这不是表格'), '名单.xlsx')).rejects.toThrow(new RosterFormatError(ZIP_MESSAGES.notXlsx));
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    await expect(read(ole, '名单.xls')).rejects.toThrow(ZIP_MESSAGES.legacyOrEncrypted);
    await expect(read(Buffer.from('%PDF-1.4'), '名单.pdf')).rejects.toThrow('只能导入 .xlsx 或 .csv 文件');
  });

  it('turns a workbook exceljs cannot parse, or one without sheets, into a RosterFormatError', async () => {
    const garbage = writeZip([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<<<不是 XML') }]);
    await expect(read(garbage)).rejects.toThrow(ZIP_MESSAGES.damaged);
    await expect(read(writeZip(WORKBOOK_PARTS))).rejects.toThrow('文件中没有工作表');
  });

  it('reads the first worksheet only', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRows([HEADERS, validRow()]);
    wb.addWorksheet('其他').addRows([HEADERS, validRow({ 姓名: '王五' }), validRow({ 姓名: '赵六' })]);
    const rows = await read(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => r.cells.name)).toEqual(['张晓明']);
  });
});

describe('readRoster (.csv)', () => {
  const csv = (text: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);

  it('R7 reads UTF-8 CSV with BOM: quoted fields with commas, doubled quotes, line breaks, ="…" text', async () => {
    const text = [
      HEADERS.join(','),
      `"张晓明","=""${IDS[0]}""","共青团某某大学（筹）委员会,计算机学院团支部",团员,2016/9/1,13800138000,汉族,本科,"说""书记"""`,
      `李四,="${IDS[1]}",${BRANCH},团干部,2019年5月4日,13900139000,回,大学本科,"副书记`,
      `兼组织委员"`,
      '',
    ].join('\r\n');
    const rows = await read(csv(text), '名单.csv');
    expect(rows).toHaveLength(2);
    expect(rows[0].cells).toMatchObject({
      name: '张晓明',
      idNumber: IDS[0],
      branchFullName: '共青团某某大学（筹）委员会,计算机学院团支部',
      joinedAt: '2016/9/1',
      postTitle: '说"书记"',
    });
    expect(rows[1]).toMatchObject({ rowNumber: 3, cells: { idNumber: IDS[1], ethnicity: '回', postTitle: '副书记\r\n兼组织委员' } });
  });

  it('reads UTF-8 CSV without BOM and with LF endings', async () => {
    const rows = await read(csv(`${HEADERS.join(',')}\n${validRow().join(',')}\n`, false), 'a.csv');
    expect(rows[0].cells.name).toBe('张晓明');
  });

  it('refuses an unclosed quote, naming the line', async () => {
    await expect(read(csv(`${HEADERS.join(',')}\n"张三,${IDS[0]}\n`), 'a.csv')).rejects.toThrow('第 2 行有未闭合的引号');
  });
});
