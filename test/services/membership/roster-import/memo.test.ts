import { rememberTextAnswers } from '../../../../server/services/membership/roster-import/memo';
import { parseRole } from '../../../../server/services/membership/roster-import/rows/values';

describe('rememberTextAnswers (repeated cell values parsed once)', () => {
  it('R7 answers as the parser does, asking it once per distinct text and every time for other values', () => {
    const seen: unknown[] = [];
    const role = rememberTextAnswers((v: string | number | null) => {
      seen.push(v);
      return parseRole(v);
    });
    expect(role('团员')).toEqual(parseRole('团员'));
    expect(role('团员')).toEqual({ ok: true, value: 'member' });
    expect(role('党员')).toEqual(parseRole('党员'));
    expect(role(null)).toEqual(parseRole(null));
    expect(role(null)).toEqual(parseRole(null));
    expect(seen).toEqual(['团员', '党员', null, null]);
  });

  it('stops remembering past its bound, still answering correctly', () => {
    let calls = 0;
    const length = rememberTextAnswers((v: string) => (calls++, v.length));
    for (let i = 0; i < 2500; i++) length(`x${i}`);
    calls = 0;
    expect(length('x1')).toBe(2);
    expect(length('x2499')).toBe(5);
    expect(length('x2499')).toBe(5);
    expect(calls).toBe(2); // x1 remembered; x2499 came after the bound
  });
});
