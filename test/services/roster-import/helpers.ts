/** Test helpers for the roster import: real spreadsheets built with exceljs, and raw zips. */
import * as zlib from 'node:zlib';
import * as ExcelJS from 'exceljs';

/** Headers of the template in its own order. */
export const HEADERS = ['姓名', '身份证号码', '所在团支部', '政治面貌', '入团时间', '手机号码', '民族', '学历', '职务'];

/** Valid ID numbers (GB 11643 check digits) for test rows. */
export const IDS = ['110105200506151236', '11010520030101000X', '440106200112120018', '310104199905050024'];

export const BRANCH = '共青团某某大学(筹)委员会计算机学院2023级1班团支部';

/** A valid row in template order. */
export function validRow(overrides: Partial<Record<string, ExcelJS.CellValue>> = {}): ExcelJS.CellValue[] {
  const base: Record<string, ExcelJS.CellValue> = {
    姓名: '张晓明', 身份证号码: IDS[0], 所在团支部: BRANCH, 政治面貌: '团员', 入团时间: '2019-05-04',
    手机号码: '13800138000', 民族: '汉族', 学历: '本科', 职务: null, ...overrides,
  };
  return HEADERS.map((h) => base[h]);
}

/** An .xlsx whose first sheet holds `rows` from A1 (a Cell-level hook can style or format cells). */
export async function makeXlsx(
  rows: ExcelJS.CellValue[][],
  onCell?: (cell: ExcelJS.Cell, rowIndex: number, colIndex: number) => void,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((values, r) => {
    values.forEach((v, c) => {
      const cell = ws.getCell(r + 1, c + 1);
      if (v !== null && v !== undefined) cell.value = v;
      onCell?.(cell, r, c);
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads an .xlsx fully (tests only) to look at values and styles. */
export async function loadXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

export async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

/** An entry of {@link writeZip}: data is stored, or already-deflated bytes with their real size and CRC. */
export interface ZipEntry {
  name: string;
  data?: Buffer;
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** Uncompressed size written in the headers (to lie); defaults to the real one. */
  declaredSize?: number;
  /** Leave the entry out of the central directory (a local entry only a sequential reader sees). */
  hidden?: boolean;
}

/** A minimal zip writer (no data descriptors, no zip64), enough to craft hostile files. */
export function writeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.deflated ? 8 : 0;
    const body = e.deflated ? e.deflated.bytes : (e.data ?? Buffer.alloc(0));
    const crc = e.deflated ? e.deflated.crc : zlib.crc32(body);
    const size = e.declaredSize ?? (e.deflated ? e.deflated.size : body.length);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    if (!e.hidden) {
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(0x0800, 8);
      central.writeUInt16LE(method, 10);
      central.writeUInt16LE(0x21, 14);
      central.writeUInt32LE(crc >>> 0, 16);
      central.writeUInt32LE(body.length, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      centrals.push(central, name);
      count++;
    }
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** `megabytes` MB of zeros, deflated chunk by chunk (never held in memory at once). */
export async function deflatedZeros(megabytes: number): Promise<{ bytes: Buffer; size: number; crc: number }> {
  const chunk = Buffer.alloc(1024 * 1024);
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  for (let i = 0; i < megabytes; i++) {
    crc = zlib.crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await ended;
  return { bytes: Buffer.concat(out), size: megabytes * 1024 * 1024, crc };
}

/** The two parts every .xlsx has, so a crafted zip gets past the "is it a workbook" check. */
export const WORKBOOK_PARTS: ZipEntry[] = [
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
];
