/**
 * CSV input as people save it: UTF-8 (with or without BOM), GB18030/GBK (Excel's "CSV (逗号分隔)"
 * on Chinese Windows) or UTF-16 (Excel's "Unicode 文本"), fields separated by commas, semicolons
 * or tabs, parsed per RFC 4180 (quoted fields may hold separators, doubled quotes and line breaks).
 */
import chardet from 'chardet';
import * as iconv from 'iconv-lite';
import { COLUMNS, normaliseHeader } from '../rows/columns';
import { RosterFormatError } from '../format-error';

/** Every header the import knows, normalised: what a roster's header line holds whatever its encoding. */
const KNOWN_HEADERS = COLUMNS.flatMap((c) => [c.header, ...c.aliases]).map(normaliseHeader);
/** Bytes looked at to recognise the header line. */
const HEAD = 4096;

/** How many known headers `text` (the start of a file) holds: a wrongly decoded file holds none. */
function knownHeadersIn(text: string): number {
  const head = text.slice(0, HEAD).replace(/[\s\u3000]/g, '');
  return KNOWN_HEADERS.filter((h) => head.includes(h)).length;
}

const hasPrefix = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

/**
 * Decodes CSV bytes: a BOM says UTF-8 or UTF-16; otherwise UTF-8 when the bytes are valid
 * UTF-8, else the encoding chardet finds (Chinese ones first, GB18030 always tried, as it covers
 * GBK and GB2312), keeping the first whose text holds the roster's headers.
 */
export function decodeCsv(buf: Buffer): string {
  if (hasPrefix(buf, [0xff, 0xfe])) return iconv.decode(buf, 'utf-16le');
  if (hasPrefix(buf, [0xfe, 0xff])) return iconv.decode(buf, 'utf-16be');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    // not UTF-8: find out below
  }
  const guesses = chardet.analyse(buf.subarray(0, 64 * 1024)).map((g) => ({ name: g.name, zh: g.lang === 'zh' }));
  const names = [...guesses.filter((g) => g.zh).map((g) => g.name), 'GB18030', ...guesses.filter((g) => !g.zh).map((g) => g.name)];
  const usable = [...new Set(names)].filter((n) => iconv.encodingExists(n));
  for (const name of usable) {
    const text = iconv.decode(buf, name);
    if (knownHeadersIn(text) > 0) return text;
  }
  return iconv.decode(buf, usable[0] ?? 'GB18030'); // no header in any: the header check will say what it read
}

/** Field separators tried, most common first. */
const SEPARATORS = [',', ';', '\t'] as const;
export type CsvSeparator = (typeof SEPARATORS)[number];

/** The separator whose first lines hold the most known headers (commas when none does). */
export function sniffSeparator(text: string): CsvSeparator {
  const head = text.slice(0, HEAD);
  let best: CsvSeparator = ',';
  let most = 0;
  for (const sep of SEPARATORS) {
    let found = 0;
    try {
      for (const record of parseCsv(head, sep)) {
        found = Math.max(found, record.fields.filter((f) => KNOWN_HEADERS.includes(normaliseHeader(f))).length);
        if (record.rowNumber >= 5) break;
      }
    } catch {
      // a quote still open where the head is cut off: the lines before it have been counted
    }
    if (found > most) [best, most] = [sep, found];
  }
  return best;
}

/** The records of a CSV file, whatever its encoding and separator (see decodeCsv, sniffSeparator). */
export function* readCsv(buf: Buffer): Generator<CsvRecord> {
  const text = decodeCsv(buf);
  yield* parseCsv(text, sniffSeparator(text));
}

/** One CSV record: its 1-based number (as Excel numbers rows) and its fields. */
export interface CsvRecord {
  rowNumber: number;
  fields: string[];
}

/**
 * Splits CSV text into records. Quoted fields may contain the separator, `""` and line breaks;
 * lines end with CRLF, LF or CR. A quote left open at the end of the file is an error.
 */
export function* parseCsv(text: string, separator: string = ','): Generator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let rowNumber = 1;
  let quoteOpenedAt = 0;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteOpenedAt = rowNumber;
    } else if (ch === separator) {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      endField();
      yield { rowNumber, fields };
      rowNumber++;
      fields = [];
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += ch; // a quote inside an unquoted field is kept as is
    }
    i++;
  }
  if (quoted) {
    throw new RosterFormatError(`CSV 文件第 ${quoteOpenedAt} 行有未闭合的引号（"），请检查该行后重新发送`);
  }
  if (field !== '' || fields.length > 0) {
    endField();
    yield { rowNumber, fields };
  }
}

/** A field written as `="0123"` (a common trick to keep leading zeros in CSV) gives `0123`. */
export function unwrapCsvFormulaText(field: string): string {
  const m = /^\s*="(.*)"\s*$/s.exec(field);
  return m ? m[1].replace(/""/g, '"') : field;
}
