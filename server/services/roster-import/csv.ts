/**
 * CSV input: UTF-8 (with or without BOM) only, parsed per RFC 4180 (quoted fields may hold
 * commas, doubled quotes and line breaks). No CSV library is installed, and this is all the
 * import needs.
 */
import { RosterFormatError } from './format-error';

const SAVE_AS_UTF8 = '请在 Excel 中选择“另存为 → CSV UTF-8（逗号分隔）”，或直接发送 .xlsx 文件';

/** Decodes CSV bytes as UTF-8, dropping a BOM; GBK/GB18030 or UTF-16 files are refused. */
export function decodeCsv(buf: Buffer): string {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new RosterFormatError(`CSV 文件是 UTF-16（Unicode 文本）编码，无法读取：${SAVE_AS_UTF8}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    throw new RosterFormatError(`CSV 文件不是 UTF-8 编码（可能是 GBK/GB18030），中文会变成乱码：${SAVE_AS_UTF8}`);
  }
}

/** One CSV record: its 1-based number (as Excel numbers rows) and its fields. */
export interface CsvRecord {
  rowNumber: number;
  fields: string[];
}

/**
 * Splits CSV text into records. Quoted fields may contain `,`, `""` and line breaks; lines end
 * with CRLF, LF or CR. A quote left open at the end of the file is an error.
 */
export function* parseCsv(text: string): Generator<CsvRecord> {
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
    } else if (ch === ',') {
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
