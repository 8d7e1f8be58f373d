/**
 * exceljs turns each chunk of a part's XML into text on its own, so a Chinese character split
 * between two chunks came out as two U+FFFD (`��佳明`). The fix is a patch of exceljs'
 * `lib/utils/parse-sax.js` (patches/exceljs+4.4.0.patch, applied by patch-package on
 * `npm install` / `npm ci`): one streaming UTF-8 decoder per part. A file on disk is fixed for
 * every loader (tsx, jest, child processes), where replacing the module at run time would
 * depend on which import of exceljs runs first. An install without it (scripts disabled, an
 * upgraded exceljs) must fail loudly, not garble names: {@link checkXmlDecoding} says so.
 */

type SaxEvents = Array<{ eventType: string; value: unknown }>;
type ParseSax = (chunks: AsyncIterable<Uint8Array>) => AsyncGenerator<SaxEvents>;

/** Thrown when the installed exceljs still splits characters. An installation fault, not the user's. */
export class ExcelJsUnpatchedError extends Error {
  override readonly name = 'ExcelJsUnpatchedError';
}

/** Text events of `xml` fed to exceljs' XML parser in the given pieces. */
export async function parseSaxText(xml: Buffer, pieceSizes: readonly number[]): Promise<string> {
  const parseSax = require('exceljs/lib/utils/parse-sax') as ParseSax;
  async function* pieces(): AsyncGenerator<Uint8Array> {
    let at = 0;
    for (let i = 0; at < xml.length; i++) {
      const size = Math.max(1, pieceSizes[i % pieceSizes.length]);
      yield xml.subarray(at, at + size);
      at += size;
    }
  }
  let text = '';
  for await (const events of parseSax(pieces())) {
    for (const e of events) if (e.eventType === 'text') text += String(e.value);
  }
  return text;
}

let verdict: Promise<void> | undefined;

/**
 * Resolves once this process's exceljs is known to decode a character split between chunks
 * (checked once); rejects with {@link ExcelJsUnpatchedError} otherwise.
 */
export function checkXmlDecoding(): Promise<void> {
  verdict ??= (async () => {
    const sample = '团员𠀋'; // 3-byte and 4-byte UTF-8 characters, each cut in the middle
    const text = await parseSaxText(Buffer.from(`<t>${sample}</t>`), [4, 2, 3, 2]);
    if (text !== sample) {
      throw new ExcelJsUnpatchedError(
        'exceljs is installed without patches/exceljs+4.4.0.patch (Chinese text in large .xlsx files would be garbled): run `npx patch-package` or `npm ci` with scripts enabled',
      );
    }
  })();
  return verdict;
}
