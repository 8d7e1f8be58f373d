import fc from 'fast-check';
import { ageOn, checkDigit, maskIdNumber, parseIdNumber } from '../../server/lib/id-number';

describe('R1 ID numbers (GB 11643-1999)', () => {
  it('R1 accepts a valid 18-digit number and derives birth date and gender', () => {
    const r = parseIdNumber('11010519491231002X');
    expect(r).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31', gender: 'F' });
  });

  it('R1 accepts lower-case x, spaces and full-width digits, stored upper-case', () => {
    expect(parseIdNumber(' 110105 19491231 002x ')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('R1 refuses a wrong check digit with a clear message', () => {
    const r = parseIdNumber('110105194912310021');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('校验位');
  });

  it('R1 refuses impossible and future birth dates, bad regions and lengths', () => {
    const bad = (first17: string) => first17 + checkDigit(first17);
    expect(parseIdNumber(bad('11010520230230001')).ok).toBe(false); // 30 February
    expect(parseIdNumber(bad('11010521000101001')).ok).toBe(false); // future
    expect(parseIdNumber(bad('99010520000101001')).ok).toBe(false); // region
    expect(parseIdNumber('1234').ok).toBe(false);
    expect(parseIdNumber('').ok).toBe(false);
  });

  it('R1 accepts a birth date exactly when it is a real day from 1900 to today (leap years, month lengths)', () => {
    const today = new Date(Date.UTC(2026, 10, 25));
    fc.assert(
      fc.property(fc.integer({ min: 1890, max: 2110 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const first17 = `110105${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}123`;
        const day = new Date(Date.UTC(y, m - 1, d));
        const real = day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
        expect(parseIdNumber(first17 + checkDigit(first17), today).ok).toBe(real && y >= 1900 && day <= today);
      }),
      { numRuns: 5000 },
    );
    for (const [first17, ok] of [
      ['11010520000229001', true],
      ['11010519000229001', false],
      ['11010520240229001', true],
      ['11010520230229001', false],
    ] as const) {
      expect(parseIdNumber(first17 + checkDigit(first17), today).ok).toBe(ok);
    }
  });

  it('R1 upgrades a 15-digit legacy number to 18 digits', () => {
    const r = parseIdNumber('130503670401001');
    expect(r).toMatchObject({ ok: true, value: '130503196704010016', birthDate: '1967-04-01', gender: 'M' });
  });

  it('R1 the check digit maps sum mod 11 to 1 0 X 9 8 7 6 5 4 3 2 (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01'), max: new Date('2015-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (d, s) => {
        const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
        const first17 = `640104${ymd}${String(s).padStart(3, '0')}`;
        const id = first17 + checkDigit(first17);
        const r = parseIdNumber(id);
        expect(r.ok).toBe(true);
        // Any other final character is refused.
        for (const c of '0123456789X') if (c !== id[17]) expect(parseIdNumber(first17 + c).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('computes whole years of age', () => {
    expect(ageOn('2010-06-15', new Date(2024, 5, 14))).toBe(13);
    expect(ageOn('2010-06-15', new Date(2024, 5, 15))).toBe(14);
  });
});
