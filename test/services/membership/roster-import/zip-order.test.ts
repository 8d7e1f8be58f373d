import * as yauzl from 'yauzl';
import { sheetRows } from '../../../../server/services/membership/roster-import/file/sheet-rows';
import { inspectXlsx } from '../../../../server/services/membership/roster-import/file/zip-guard';
import { worksheetsLast } from '../../../../server/services/membership/roster-import/file/zip-order';
import { collect, HEADERS, IDS, makeXlsx, validRow } from './helpers';

async function entryNames(buf: Buffer): Promise<string[]> {
  const zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true });
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push(entry.fileName);
  zip.close();
  return names;
}

/** Entry names in the order a sequential reader meets them (local headers from byte 0). */
function localOrder(buf: Buffer): string[] {
  const names: string[] = [];
  for (let at = buf.indexOf('PK\x03\x04', 0, 'latin1'); at >= 0; at = buf.indexOf('PK\x03\x04', at + 4, 'latin1')) {
    names.push(buf.toString('utf8', at + 30, at + 30 + buf.readUInt16LE(at + 26)));
  }
  return names;
}

describe('worksheetsLast (read order for exceljs)', () => {
  it('R7 moves the sheet after the shared strings; the zip stays valid and reads the same rows', async () => {
    const file = await makeXlsx([HEADERS, validRow(), validRow({ 身份证号码: IDS[1], 入团时间: new Date(Date.UTC(2018, 4, 4)) })]);
    expect(localOrder(file).indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(localOrder(file).indexOf('xl/sharedStrings.xml'));

    const ordered = worksheetsLast(file);
    const order = localOrder(ordered);
    expect(order[order.length - 1]).toBe('xl/worksheets/sheet1.xml');
    expect(order.slice().sort()).toEqual(localOrder(file).slice().sort());
    expect(ordered.length).toBe(file.length);
    // The central directory points at the moved entries: yauzl (and the zip guard) read it as before.
    expect((await entryNames(ordered)).sort()).toEqual((await entryNames(file)).sort());
    expect(await inspectXlsx(ordered)).toEqual({ ok: true });
    expect(worksheetsLast(ordered)).toBe(ordered); // already in order: the same buffer

    const rows = await collect(sheetRows({ buffer: file, fileName: 'a.xlsx' }));
    expect(rows).toHaveLength(3);
    expect(rows[2].values[1]).toBe(IDS[1]);
    expect(rows[2].values[4]).toEqual(new Date(Date.UTC(2018, 4, 4)));
  });

  it('leaves a buffer it cannot lay out alone', () => {
    const notZip = Buffer.from('姓名,身份证号码\n');
    expect(worksheetsLast(notZip)).toBe(notZip);
  });
});
