import { parseIdNumber } from '../../server/lib/id-number';
import type { System } from '../../server/system';
import { TestChat } from './chat';
import { makeIdNumber } from './factories';

// Tests share a database per file: two people or two chat users made equal by a helper
// would make a test pass or fail for a reason of its own.
describe('test helpers give distinct people', () => {
  it('R1 R4 makeIdNumber never repeats an ID number and keeps the birth date asked for, past 1,000 numbers per date', () => {
    const today = new Date();
    const made = Array.from({ length: 3500 }, () => makeIdNumber('19990315'));
    expect(new Set(made).size).toBe(made.length);
    for (const id of made) {
      const parsed = parseIdNumber(id, today);
      expect(parsed.ok && parsed.birthDate).toBe('1999-03-15');
    }
    const plain = Array.from({ length: 1500 }, () => makeIdNumber());
    expect(new Set([...plain, ...made]).size).toBe(plain.length + made.length);
    expect(plain.every((id) => parseIdNumber(id, today).ok)).toBe(true);
  });

  it('makeIdNumber keeps a region it is given, and refuses a 1,001st number there rather than repeat one', () => {
    const made = Array.from({ length: 1000 }, () => makeIdNumber('19880808', '110105'));
    expect(new Set(made).size).toBe(1000);
    expect(made.every((id) => id.startsWith('11010519880808'))).toBe(true);
    expect(() => makeIdNumber('19880808', '110105')).toThrow('given once already');
  });

  it('TestChat users are distinct', () => {
    const ids = Array.from({ length: 5000 }, () => new TestChat({} as System).userId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
