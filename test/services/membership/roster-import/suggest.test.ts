import fc from 'fast-check';
import { DEMO_ORGS } from '../../../../seeds/demo';
import { closestNames, createNameSuggester, editDistance } from '../../../../server/services/membership/roster-import/rows/suggest';

/** The textbook table: `within` lets `a` match any part of `b`. */
function reference(a: string, b: string, within: boolean): number {
  const s = Array.from(a);
  const t = Array.from(b);
  let prev = t.map((_, j) => (within ? 0 : j + 1));
  prev.unshift(0);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return within ? Math.min(...prev) : prev[t.length];
}

const BRANCHES = DEMO_ORGS.filter((o) => o.kind === 'branch').map(({ fullName, shortName }) => ({ fullName, shortName }));
const CS1 = '共青团宁夏示范大学信息工程学院计算机科学（1）班支部委员会';
const CS2 = '共青团宁夏示范大学信息工程学院计算机科学（2）班支部委员会';
const SE = '共青团宁夏示范大学信息工程学院软件工程班支部委员会';

describe('branch names as people write them (R11 suggestions)', () => {
  it.each([
    ['计算机科学(1)班支部', [CS1]], // the middle of the full name, brackets half-width
    ['计算机科学（1）班支部委员会', [CS1]], // its last part
    ['信息工程学院软件工程班支部委员会', [SE]],
    ['计科1班团支部', [CS1]], // the short name (简称)
    ['计科２班团支部', [CS2]],
    ['软工班团支部', [SE]],
    ['计算机科学1班团支部', [CS1]], // a part with slips: no brackets, 团支部 for 支部
    ['宁夏示范大学信息工程学院计算机科学(1)班团支部', [CS1, CS2]], // a slip: the best first, the next best after it
  ])('R11 %s → the full name it stands for', (typed, expected) => {
    expect(closestNames(typed, BRANCHES)).toEqual(expected);
  });

  it('R11 a name with a wrong class number suggests the classes it is closest to', () => {
    expect(closestNames('计算机科学(3)班支部', BRANCHES)).toEqual([CS1, CS2]);
    expect(closestNames('计科3班团支部', BRANCHES)).toEqual([CS1, CS2]);
  });

  it('R11 a fragment that fits more organisations than can be suggested gives none (a guess could put people in the wrong branch)', () => {
    const many = [1, 2, 3, 4, 5].map((n) => ({ fullName: `共青团某县第${n}中学高一（1）班团支部`, shortName: `${n}中高一1班` }));
    expect(closestNames('高一(1)班团支部', many)).toEqual([]);
    expect(closestNames('第3中学高一(1)班团支部', many)).toEqual(['共青团某县第3中学高一（1）班团支部']);
    expect(closestNames('支部', BRANCHES)).toEqual([]);
    expect(closestNames('班支部委员会', BRANCHES)).toEqual([CS1, CS2, SE]);
  });

  it('R11 suggests nothing far away, and only from the names it is given', () => {
    expect(
      closestNames(
        '文化街社区团支部',
        BRANCHES.filter((b) => b.fullName !== '共青团银川市兴庆区文化街社区支部委员会'),
      ),
    ).toEqual([]);
    expect(closestNames('北京市海淀区少年宫', BRANCHES)).toEqual([]);
  });

  it('editDistance (bit-parallel up to 32 characters, a table beyond) equals the textbook table, whole and within', () => {
    const word = fc.array(fc.constantFrom('团', '支', '部', '（', '1', '𠀋', 'a'), { maxLength: 40 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(word, word, fc.boolean(), (a, b, within) => {
        expect(editDistance(a, b, Infinity, { within })).toBe(reference(a, b, within));
      }),
      { numRuns: 2000 },
    );
    expect(editDistance('计算机科学(1)班支部', '共青团宁夏示范大学信息工程学院计算机科学(1)班支部委员会', Infinity, { within: true })).toBe(0);
  });

  it('createNameSuggester takes full names with short names and answers like closestNames', () => {
    const suggest = createNameSuggester(BRANCHES);
    expect(suggest(' 计科1班 团支部')).toEqual([CS1]);
    expect(suggest('计科1班团支部')).toBe(suggest('计科1班 团支部'));
  });
});
