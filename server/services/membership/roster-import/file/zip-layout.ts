/**
 * exceljs reads an .xlsx with a sequential unzipper that walks the local file headers from
 * byte 0, while the zip guard reads the central directory (yauzl). A crafted file can show
 * one thing to each (a hidden local entry, a local size that differs), so the guard checks
 * that both views agree before trusting what it measured.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/** What the layout check needs of a central-directory entry (a subset of yauzl's Entry). */
export interface CentralEntry {
  fileNameRaw: Buffer;
  compressionMethod: number;
  compressedSize: number;
  relativeOffsetOfLocalHeader: number;
}

/** Compressed size from a zip64 extra field, read the way unzipper reads it; -1 if absent. */
function zip64CompressedSize(extra: Buffer): number {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      return at + 4 + 16 <= extra.length ? Number(extra.readBigUInt64LE(at + 4 + 8)) : -1;
    }
    at += 4 + size;
  }
  return -1;
}

/**
 * True when a reader walking local headers from byte 0 meets exactly the central-directory
 * entries, in offset order, with the same names, methods and compressed sizes, and then the
 * central directory itself: nothing hidden between, before or after them.
 */
export function localHeadersMatch(buf: Buffer, entries: readonly CentralEntry[]): boolean {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  let pos = 0;
  for (const e of sorted) {
    if (e.relativeOffsetOfLocalHeader !== pos || pos + 30 > buf.length) return false;
    if (buf.readUInt32LE(pos) !== LOCAL_HEADER) return false;
    const flags = buf.readUInt16LE(pos + 6);
    const method = buf.readUInt16LE(pos + 8);
    let compressed = buf.readUInt32LE(pos + 18);
    const nameStart = pos + 30;
    const extraStart = nameStart + buf.readUInt16LE(pos + 26);
    const dataStart = extraStart + buf.readUInt16LE(pos + 28);
    if (dataStart > buf.length) return false;
    if (method !== e.compressionMethod) return false;
    if (!buf.subarray(nameStart, extraStart).equals(e.fileNameRaw)) return false;
    if (compressed === 0xffffffff) compressed = zip64CompressedSize(buf.subarray(extraStart, dataStart));
    const sizeKnown = (flags & 0x08) === 0 || compressed > 0;
    if (sizeKnown) {
      if (compressed !== e.compressedSize) return false;
      pos = dataStart + compressed;
    } else {
      // The sequential reader scans for the data-descriptor signature to find the end.
      const end = dataStart + e.compressedSize;
      if (buf.indexOf(DATA_DESCRIPTOR, dataStart) !== end) return false;
      pos = end + 16;
    }
  }
  return pos + 4 <= buf.length && buf.readUInt32LE(pos) === CENTRAL_HEADER;
}
