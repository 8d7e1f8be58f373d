import { getDefaultHighWaterMark, setDefaultHighWaterMark } from 'node:stream';
import { STREAM_BUFFER_BYTES } from '../../server/system';
import { createTestSystem } from '../helpers/system';

describe('buildSystem', () => {
  it('R7 sets the byte-stream buffer the import is measured with (an inflater runs ahead of exceljs)', async () => {
    setDefaultHighWaterMark(false, 16 * 1024); // Node 20's own default (the setting is per process)
    const sys = await createTestSystem();
    try {
      expect(getDefaultHighWaterMark(false)).toBe(STREAM_BUFFER_BYTES);
      expect(STREAM_BUFFER_BYTES).toBeGreaterThan(16 * 1024);
    } finally {
      await sys.close();
    }
  });
});
