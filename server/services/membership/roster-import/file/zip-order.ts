/**
 * Puts an .xlsx's worksheets after every other part, moving the compressed bytes as they are.
 * exceljs' streaming reader needs the shared strings before a sheet; when a sheet comes first
 * (as Excel, WPS and exceljs itself write them) it copies the whole sheet to a temporary file
 * and parses it from there in 64 KB blocks, building every row of a block at once. Read in
 * this order, the sheet is parsed straight from the inflater in small blocks: no disk work,
 * and far fewer rows alive at a time (less memory and GC, measured). Only for a file the zip
 * guard has passed: its local entries lie back to back, as its central directory says.
 */

const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = Buffer.from('PK\x05\x06', 'latin1');
const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

interface CentralRecord {
  name: string;
  /** Where the record's local-header offset field is, in the central directory. */
  field: number;
  offset: number;
}

/** The central directory's records and where it starts; undefined if it is unusual (zip64, a comment in the way). */
function centralDirectory(buf: Buffer): { records: CentralRecord[]; start: number } | undefined {
  const eocd = buf.lastIndexOf(END_OF_CENTRAL);
  if (eocd < 0 || eocd + 22 > buf.length) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  const start = buf.readUInt32LE(eocd + 16);
  const records: CentralRecord[] = [];
  let pos = start;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > buf.length || buf.readUInt32LE(pos) !== CENTRAL_HEADER) return undefined;
    const nameLength = buf.readUInt16LE(pos + 28);
    const offset = buf.readUInt32LE(pos + 42);
    if (offset === 0xffffffff) return undefined;
    records.push({ name: buf.toString('utf8', pos + 46, pos + 46 + nameLength), field: pos + 42, offset });
    pos += 46 + nameLength + buf.readUInt16LE(pos + 30) + buf.readUInt16LE(pos + 32);
  }
  return { records, start };
}

/**
 * The same workbook with its worksheets moved after all other parts (central directory
 * updated); the buffer itself when they are last already or the layout is unusual.
 */
export function worksheetsLast(buf: Buffer): Buffer {
  const cd = centralDirectory(buf);
  if (!cd) return buf;
  const inFile = [...cd.records].sort((a, b) => a.offset - b.offset);
  if (inFile[0]?.offset !== 0) return buf;
  // Local entries lie back to back (the guard checked): each ends where the next one starts.
  const parts = inFile.map((r, i) => ({ record: r, start: r.offset, end: inFile[i + 1]?.offset ?? cd.start }));
  const sheet = (p: (typeof parts)[number]) => WORKSHEET.test(p.record.name);
  const ordered = [...parts.filter((p) => !sheet(p)), ...parts.filter(sheet)];
  if (ordered.every((p, i) => p === parts[i])) return buf;
  const out = Buffer.allocUnsafe(buf.length);
  const moved: Array<[field: number, offset: number]> = [];
  let at = 0;
  for (const p of ordered) {
    moved.push([p.record.field, at]);
    at += buf.copy(out, at, p.start, p.end);
  }
  buf.copy(out, at, cd.start); // the central directory, then its records' new offsets
  for (const [field, offset] of moved) out.writeUInt32LE(offset, field);
  return out;
}
