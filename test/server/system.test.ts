import { PassThrough, setDefaultHighWaterMark } from 'node:stream';
import zlib from 'node:zlib';
import { createTestSystem } from '../helpers/system';

describe('buildSystem', () => {
  it("R7 gives byte streams made afterwards, the import's inflater among them, the 64 KiB buffer the import is measured with", async () => {
    setDefaultHighWaterMark(false, 16 * 1024); // Node 20's own default (the setting is per process)
    expect(zlib.createInflateRaw().readableHighWaterMark).toBe(16 * 1024);
    const sys = await createTestSystem();
    try {
      // An inflater with room for 64 KiB runs a few pieces ahead of exceljs (see buildSystem).
      expect(zlib.createInflateRaw().readableHighWaterMark).toBe(64 * 1024);
      expect(new PassThrough().writableHighWaterMark).toBe(64 * 1024);
    } finally {
      await sys.close();
    }
  });
});
