/**
 * Organisation full names compared the way people type them (R11): full-width and
 * half-width brackets, letters and digits are the same, and spaces do not count.
 */
export function normaliseOrgName(name: string): string {
  return name
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[【〔［]/g, '[')
    .replace(/[】〕］]/g, ']')
    .replace(/[\s\u3000]/g, '');
}
