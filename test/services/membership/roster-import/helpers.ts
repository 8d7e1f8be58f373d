/** Test helpers for the roster import: real spreadsheets built with exceljs, and raw zips. */
import * as zlib from 'node:zlib';
import * as ExcelJS from 'exceljs';

/** Headers of the template in its own order. */
export const HEADERS = ['姓名', '身份证号码', '所在团支部', '政治面貌', '入团时间', '手机号码', '民族', '学历', '职务'];

/** Valid ID numbers (GB 11643 check digits) for test rows. */
export const IDS = ['110105200506151252', '11010520030101000X', '440106200112120018', '310104199905050024'];

export const BRANCH = '共青团某某大学(筹)委员会计算机学院2023级1班团支部';

/** A valid row in template order. */
export function validRow(overrides: Partial<Record<string, ExcelJS.CellValue>> = {}): ExcelJS.CellValue[] {
  const base: Record<string, ExcelJS.CellValue> = {
    姓名: '张晓明',
    身份证号码: IDS[0],
    所在团支部: BRANCH,
    政治面貌: '团员',
    入团时间: '2019-05-04',
    手机号码: '13800138000',
    民族: '汉族',
    学历: '本科',
    职务: null,
    ...overrides,
  };
  return HEADERS.map((h) => base[h]);
}

/** An .xlsx whose first sheet holds `rows` from A1 (a Cell-level hook can style or format cells). */
export async function makeXlsx(rows: ExcelJS.CellValue[][], onCell?: (cell: ExcelJS.Cell, rowIndex: number, colIndex: number) => void): Promise<Buffer> {
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

/** A cell of {@link handXlsx}: text from the shared-strings table, inline text, a number, or a formula with or without its result. */
export type HandCell = { shared: string } | { inline: string } | { number: number } | { formula: string; result?: string };

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function columnName(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function sheetXml(rows: Array<Array<HandCell | null>>, shared: Map<string, number>): string {
  const body = rows.map((cells, r) => {
    const xml = cells.map((c, i) => {
      if (c === null) return '';
      const ref = `${columnName(i + 1)}${r + 1}`;
      if ('shared' in c) {
        if (!shared.has(c.shared)) shared.set(c.shared, shared.size);
        return `<c r="${ref}" t="s"><v>${shared.get(c.shared)}</v></c>`;
      }
      if ('inline' in c) return `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(c.inline)}</t></is></c>`;
      if ('number' in c) return `<c r="${ref}"><v>${c.number}</v></c>`;
      return c.result === undefined
        ? `<c r="${ref}"><f>${xmlEscape(c.formula)}</f></c>`
        : `<c r="${ref}" t="str"><f>${xmlEscape(c.formula)}</f><v>${xmlEscape(c.result)}</v></c>`;
    });
    return `<row r="${r + 1}">${xml.join('')}</row>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body.join('')}</sheetData></worksheet>`;
}

/**
 * An .xlsx written part by part, deflated, with shared strings (as Excel writes text) and/or
 * inline strings (as some other tools do, and exceljs' writer never does): one sheet per entry of
 * `sheets`, in tab order.
 */
export function handXlsx(sheets: Array<{ name: string; rows: Array<Array<HandCell | null>> }>): Buffer {
  const shared = new Map<string, number>();
  const sheetParts = sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: Buffer.from(sheetXml(s.rows, shared)) }));
  const sst = [...shared.keys()].map((t) => `<si><t xml:space="preserve">${xmlEscape(t)}</t></si>`).join('');
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  const parts: Array<{ name: string; data: Buffer }> = [
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel('rId1', 'officeDocument', 'xl/workbook.xml')}</Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<workbook ${ns}><sheets>${sheets.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => rel(`rId${i + 1}`, 'worksheet', `worksheets/sheet${i + 1}.xml`)).join('')}${rel(`rId${sheets.length + 1}`, 'sharedStrings', 'sharedStrings.xml')}</Relationships>`,
      ),
    },
    {
      name: 'xl/sharedStrings.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.size}" uniqueCount="${shared.size}">${sst}</sst>`,
      ),
    },
    ...sheetParts,
  ];
  return writeZip(parts.map((p) => ({ name: p.name, deflated: { bytes: zlib.deflateRawSync(p.data), size: p.data.length, crc: zlib.crc32(p.data) } })));
}
