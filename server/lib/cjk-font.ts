/**
 * A Chinese font for pictures drawn on the server (charts): Noto Sans SC as @fontsource ships it
 * (OFL), so CJK labels render on a machine with no CJK font installed. resvg loads TrueType or
 * OpenType files by path, and the package holds WOFF files: each is decoded once (WOFF 1.0 is
 * the SFNT tables, each zlib-compressed: node:zlib is all it takes) into a folder of TrueType
 * files that lives as long as the machine's temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** The family name the files carry: what a picture's text asks for. */
export const CJK_FONT_FAMILY = 'Noto Sans SC';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER = 44;
const WOFF_ENTRY = 20;
const SFNT_HEADER = 12;
const SFNT_ENTRY = 16;

/**
 * The SFNT (TrueType/OpenType) font inside a WOFF 1.0 file: the same tables, uncompressed,
 * behind an SFNT table directory (the WOFF spec, section 5). Throws on anything else (WOFF2).
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < WOFF_HEADER || woff.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = WOFF_HEADER + i * WOFF_ENTRY;
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((o) => woff.readUInt32BE(at + o));
    const stored = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? zlib.inflateSync(stored) : stored;
    if (data.length !== origLength) throw new Error('a WOFF table does not have its stated length');
    return { tag, checksum, data };
  });
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(SFNT_HEADER + count * SFNT_ENTRY + tables.reduce((sum, t) => sum + padded(t.data.length), 0));
  let log2 = 0;
  while (2 ** (log2 + 1) <= count) log2++;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(16 * 2 ** log2, 6); // searchRange
  out.writeUInt16BE(log2, 8); // entrySelector
  out.writeUInt16BE(count * 16 - 16 * 2 ** log2, 10); // rangeShift
  let at = SFNT_HEADER + count * SFNT_ENTRY;
  tables.forEach((t, i) => {
    const entry = SFNT_HEADER + i * SFNT_ENTRY;
    out.writeUInt32BE(t.tag, entry);
    out.writeUInt32BE(t.checksum, entry + 4);
    out.writeUInt32BE(at, entry + 8);
    out.writeUInt32BE(t.data.length, entry + 12);
    t.data.copy(out, at);
    at += padded(t.data.length);
  });
  return out;
}

/**
 * The WOFF files of one weight: the numbered subsets Google Fonts cuts the whole font into
 * (every character of Noto Sans SC, rare ones of names too) and the Latin one.
 */
function sourceFiles(weight: number): string[] {
  const dir = path.join(path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  const mine = new RegExp(`^noto-sans-sc-(\\d+|latin)-${weight}-normal\\.woff$`);
  return fs
    .readdirSync(dir)
    .filter((f) => mine.test(f))
    .map((f) => path.join(dir, f));
}

const folders = new Map<number, Promise<string>>();

/**
 * A folder of TrueType files of Noto Sans SC at `weight` (400 regular, 700 bold), decoded at the
 * first call on this machine and reused after (also by other processes). Written to a temporary
 * name and renamed, so a reader never sees half a file.
 */
export function cjkFontDir(weight = 400): Promise<string> {
  let folder = folders.get(weight);
  if (!folder) {
    folder = (async () => {
      const version = require('@fontsource/noto-sans-sc/package.json').version as string;
      const dir = path.join(os.tmpdir(), `zhtj-fonts-noto-sans-sc-${version}-${weight}`);
      fs.mkdirSync(dir, { recursive: true });
      for (const source of sourceFiles(weight)) {
        const target = path.join(dir, path.basename(source).replace(/\.woff$/, '.ttf'));
        if (fs.existsSync(target)) continue;
        const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
        await fs.promises.writeFile(temporary, woffToSfnt(await fs.promises.readFile(source)));
        await fs.promises.rename(temporary, target);
      }
      return dir;
    })();
    folder.catch(() => folders.delete(weight)); // a later call tries again
    folders.set(weight, folder);
  }
  return folder;
}
