/**
 * Cell values as the import sees them: whatever exceljs (or the CSV parser) gives,
 * reduced to text, a number, a date or nothing.
 */

/** A normalised cell: trimmed non-empty text, a finite number, a valid date, or null for empty. */
export type CellValue = string | number | Date | null;

const EDGE_SPACES = /^[\s\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff]+|[\s\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff]+$/g;

/** Trims ASCII, full-width and zero-width spaces; empty text becomes null. */
export function cleanText(text: string): string | null {
  const t = text.replace(EDGE_SPACES, '');
  return t === '' ? null : t;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function richTextToString(runs: unknown): string {
  if (!Array.isArray(runs)) return '';
  return runs.map((r) => (isObject(r) && typeof r.text === 'string' ? r.text : '')).join('');
}

/**
 * Normalises any exceljs cell value. Formulas give their cached result (never evaluated;
 * none cached gives null), rich text and hyperlinks give their text, errors give their code
 * (e.g. `#N/A`), booleans give `TRUE`/`FALSE`.
 */
export function normaliseCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (!isObject(value)) return cleanText(String(value));
  if ('formula' in value || 'sharedFormula' in value) return normaliseCell(value.result);
  if ('richText' in value) return cleanText(richTextToString(value.richText));
  if ('hyperlink' in value || 'text' in value) return normaliseCell(value.text);
  if ('error' in value) return typeof value.error === 'string' ? cleanText(value.error) : null;
  if ('sharedString' in value) return null; // only without a shared-strings cache; text unknown
  return null;
}

/** Text of a normalised cell as a person would read it (dates as YYYY-MM-DD). */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** Spreadsheet column letters for a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
