/**
 * Generated member spreadsheets for the import benchmark and the large-file tests: valid rows
 * (GB 11643 check digits, unique ID numbers) spread over a few branches, written with exceljs'
 * streaming writer and shared strings, as Excel itself writes them.
 */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { checkDigit } from '../server/lib/id-number';

/** Template headers, in template order. */
export const ROSTER_HEADERS = ['姓名', '身份证号码', '所在团支部', '政治面貌', '入团时间', '手机号码', '民族', '学历', '职务'];

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晨宇轩浩然子涵欣怡梓萱雨泽俊博文';
const EDUCATION = ['高中', '中专', '大专', '本科', '本科', '本科', '硕士研究生'];
const ETHNIC = ['汉族', '汉族', '汉族', '汉族', '回族', '满族', '蒙古族'];
const POSTS = ['团支部书记', '组织委员', '宣传委员'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Birth year of the first generated person: 25 years ago, so that everyone is of league age (R24: 14 to under 28). */
const FIRST_BIRTH_YEAR = new Date().getUTCFullYear() - 25;

/** The `i`-th ID number: unique for i < 3,650,000 (a birth day per 1000 numbers over ten years, all aged 14–25). */
export function rosterIdNumber(i: number, region = '640104'): string {
  const day = new Date(Date.UTC(FIRST_BIRTH_YEAR, 0, 1) + Math.floor(i / 1000) * 86_400_000);
  const first17 = `${region}${day.getUTCFullYear()}${pad(day.getUTCMonth() + 1)}${pad(day.getUTCDate())}${pad(i % 1000, 3)}`;
  return first17 + checkDigit(first17);
}

/**
 * The `i`-th valid row, in template column order. Every 20th person is a cadre with a post;
 * 入团时间 is an Excel date cell 14 years after birth, the rest text.
 */
export function rosterRow(i: number, branches: readonly string[], idOffset = 0): ExcelJS.CellValue[] {
  const id = rosterIdNumber(i + idOffset);
  const birthYear = Number(id.slice(6, 10));
  const joined = new Date(Date.UTC(birthYear + 14, Number(id.slice(10, 12)) - 1, 1));
  const cadre = i % 20 === 7;
  const name = SURNAMES[(i * 7) % SURNAMES.length] + GIVEN[(i * 13) % GIVEN.length] + (i % 3 ? GIVEN[(i * 17) % GIVEN.length] : '');
  return [
    name,
    id,
    branches[i % branches.length],
    cadre ? '团干部' : '团员',
    joined,
    `13${pad((i * 7919) % 1_000_000_000, 9)}`,
    ETHNIC[i % ETHNIC.length],
    EDUCATION[i % EDUCATION.length],
    cadre ? POSTS[i % POSTS.length] : null,
  ];
}

/** Options of {@link writeRosterXlsx}. */
export interface RosterFileOptions {
  rows: number;
  branches: readonly string[];
  /** Shifts the ID numbers, so two files hold different people. */
  idOffset?: number;
  /** Changes a row before it is written (to plant errors). */
  edit?: (row: ExcelJS.CellValue[], i: number) => ExcelJS.CellValue[];
  /**
   * Write with exceljs' in-memory workbook instead of the streaming writer: the sheet then
   * states its size (`<dimension>`), as Excel's and WPS's files do. Default false.
   */
  inMemory?: boolean;
}

const columnsOf = () =>
  ROSTER_HEADERS.map((h) => ({
    header: h,
    width: h === '所在团支部' ? 40 : 14,
    style: h === '入团时间' ? { numFmt: 'yyyy-mm-dd' } : h === '身份证号码' || h === '手机号码' ? { numFmt: '@' } : {},
  }));

const rowOf = (opts: RosterFileOptions, i: number) => {
  const row = rosterRow(i, opts.branches, opts.idOffset ?? 0);
  return opts.edit ? opts.edit(row, i) : row;
};

/** Writes a roster .xlsx of `rows` generated rows to `file` (or returns it when `file` is omitted). */
export async function writeRosterXlsx(opts: RosterFileOptions, file?: string): Promise<Buffer | undefined> {
  if (opts.inMemory) {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('团员信息');
    sheet.columns = columnsOf();
    for (let i = 0; i < opts.rows; i++) sheet.addRow(rowOf(opts, i));
    const data = Buffer.from(await book.xlsx.writeBuffer());
    if (!file) return data;
    fs.writeFileSync(file, data);
    return undefined;
  }
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  const sink = file ? fs.createWriteStream(file) : undefined;
  if (sink) out.pipe(sink);
  else out.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => (sink ?? out).on(sink ? 'finish' : 'end', () => resolve()).on('error', reject));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('团员信息');
  ws.columns = columnsOf();
  for (let i = 0; i < opts.rows; i++) ws.addRow(rowOf(opts, i)).commit();
  ws.commit();
  await wb.commit();
  await finished;
  return file ? undefined : Buffer.concat(chunks);
}
