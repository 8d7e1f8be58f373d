import { buildTemplate } from '../../../../server/services/membership/roster-import/template';
import { inspectXlsx, ZIP_MESSAGES } from '../../../../server/services/membership/roster-import/file/zip-guard';
import { readRoster, RosterFormatError } from '../../../../server/services/membership/roster-import/file/reader';
import { collect, deflatedZeros, WORKBOOK_PARTS, writeZip } from './helpers';

const MB = 1024 * 1024;

/** Bytes allocated outside V8's heap (Buffers) plus the heap, to see that nothing big was held. */
const memory = () => process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;

describe('inspectXlsx (zip guard)', () => {
  let bomb: Awaited<ReturnType<typeof deflatedZeros>>;
  beforeAll(async () => {
    bomb = await deflatedZeros(300); // 300 MB of zeros, about 0.3 MB deflated
  });

  it('accepts the template and any workbook exceljs writes', async () => {
    expect(await inspectXlsx(await buildTemplate())).toEqual({ ok: true });
  });

  it('accepts a well-formed crafted zip (so the refusals below are about the bomb, not the writer)', async () => {
    const small = await deflatedZeros(1);
    expect(await inspectXlsx(writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: small }]), { maxRatio: 2000 })).toEqual({ ok: true });
  });

  it('R7 refuses a text file renamed .xlsx, with a message saying how to fix it', async () => {
    const v = await inspectXlsx(Buffer.from('姓名,身份证号码\n张三,110105200506151236\n'));
    expect(v).toEqual({ ok: false, message: ZIP_MESSAGES.notXlsx });
    expect(ZIP_MESSAGES.notXlsx).toBe('文件不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后重新发送');
  });

  it('refuses a legacy .xls / password-protected file (OLE2 container)', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(await inspectXlsx(ole)).toEqual({ ok: false, message: ZIP_MESSAGES.legacyOrEncrypted });
  });

  it('refuses a zip that is not a workbook (no [Content_Types].xml / xl/workbook.xml)', async () => {
    const zip = writeZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]);
    expect(await inspectXlsx(zip)).toEqual({ ok: false, message: ZIP_MESSAGES.notXlsx });
  });

  it('refuses a truncated zip', async () => {
    const template = await buildTemplate();
    expect(await inspectXlsx(template.subarray(0, template.length - 100))).toEqual({ ok: false, message: ZIP_MESSAGES.notXlsx });
  });

  it('refuses too many entries', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `xl/media/x${i}.bin`, data: Buffer.from('x') }));
    const v = await inspectXlsx(writeZip([...WORKBOOK_PARTS, ...many]), { maxEntries: 10 });
    expect(v).toEqual({ ok: false, message: ZIP_MESSAGES.tooManyEntries });
  });

  it('refuses a zip bomb whose header honestly declares 300 MB, without inflating it', async () => {
    const zip = writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: bomb }]);
    const started = Date.now();
    expect(await inspectXlsx(zip)).toEqual({ ok: false, message: ZIP_MESSAGES.tooLarge });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a zip bomb whose header lies (declares 100 MB): counted while inflating, about 1 MB in', async () => {
    const zip = writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: bomb, declaredSize: 100 * MB }]);
    const before = memory();
    const started = Date.now();
    expect(await inspectXlsx(zip)).toEqual({ ok: false, message: ZIP_MESSAGES.suspiciousRatio });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(memory() - before).toBeLessThan(32 * MB);
  });

  it('refuses a zip bomb declaring only 1 KB, and one hidden from the central directory', async () => {
    const lying = writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: bomb, declaredSize: 1024 }]);
    expect((await inspectXlsx(lying)).ok).toBe(false);
    // A local entry only a sequential unzipper (the one exceljs uses) would meet.
    const hidden = writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: bomb, hidden: true }]);
    expect(await inspectXlsx(hidden)).toEqual({ ok: false, message: ZIP_MESSAGES.damaged });
  });

  it('refuses an entry that inflates to more, or to less, than its header declares', async () => {
    const oneMb = await deflatedZeros(1);
    for (const declaredSize of [1000, 2 * MB]) {
      const zip = writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: oneMb, declaredSize }]);
      expect(await inspectXlsx(zip, { maxRatio: 1e6 })).toEqual({ ok: false, message: ZIP_MESSAGES.damaged });
    }
  });

  it('enforces the total limit on real inflated bytes', async () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({ name: `xl/media/r${i}.bin`, data: Buffer.alloc(600 * 1024, i) }));
    expect(await inspectXlsx(writeZip([...WORKBOOK_PARTS, ...parts]), { maxTotalBytes: MB })).toEqual({
      ok: false,
      message: ZIP_MESSAGES.tooLarge,
    });
  });

  it('readRoster refuses a zip bomb named .xlsx before exceljs reads it', async () => {
    const zip = writeZip([...WORKBOOK_PARTS, { name: 'xl/sharedStrings.xml', deflated: bomb, declaredSize: 100 * MB }]);
    await expect(collect(readRoster({ buffer: zip, fileName: '名单.xlsx' }, { maxRows: 10 }))).rejects.toEqual(
      new RosterFormatError(ZIP_MESSAGES.suspiciousRatio),
    );
  });
});
