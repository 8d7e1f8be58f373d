/**
 * About how many data rows a file holds, for the progress message (`已处理 12000/100000 行`)
 * before the rows have been read. Only an estimate: the progress shows no total without one.
 */
import * as yauzl from 'yauzl';
import { detectFormat, type RosterSource } from './file/sheet-rows';

/** Bytes of the sheet part inflated to find its `<dimension>`: it sits right at the start. */
const HEAD_BYTES = 16 * 1024;

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return buf.length > 0 && buf[buf.length - 1] !== 10 ? n + 1 : n;
}

async function sheetHead(buffer: Buffer): Promise<string | undefined> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, autoClose: false });
  try {
    let first: yauzl.Entry | undefined;
    let firstNumber = Infinity;
    for await (const entry of zip.eachEntry()) {
      const m = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry.fileName);
      if (m && Number(m[1]) < firstNumber) [first, firstNumber] = [entry, Number(m[1])];
    }
    if (!first) return undefined;
    const stream = await zip.openReadStreamPromise(first);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= HEAD_BYTES) break; // leaving the loop destroys the stream
    }
    return Buffer.concat(chunks).toString('utf8', 0, HEAD_BYTES);
  } finally {
    zip.close();
  }
}

/**
 * Data rows (header excluded) the file probably holds: an .xlsx's `<dimension>` (written by
 * Excel, WPS and exceljs' workbook writer, not by every tool), a CSV's line count. Undefined
 * when unknown. Call it only on a file the zip guard has passed.
 */
export async function estimateDataRows(source: RosterSource): Promise<number | undefined> {
  try {
    if (detectFormat(source) === 'csv') return Math.max(0, countLines(source.buffer) - 1);
    const head = await sheetHead(source.buffer);
    const m = head && /<dimension\s+ref="[A-Z]+(\d+)(?::[A-Z]+(\d+))?"/.exec(head);
    if (!m) return undefined;
    const rows = Number(m[2] ?? m[1]) - Number(m[1]);
    return rows > 0 ? rows : undefined;
  } catch {
    return undefined; // only an estimate
  }
}
