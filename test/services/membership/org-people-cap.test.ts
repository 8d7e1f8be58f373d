import { buildPerson } from '../../helpers/fixtures/factories';
import { importFixture } from '../../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

describe('an organisation’s people list past its count cap', () => {
  it('R16 R6 says “more than” past the cap and pages by name the same people in the same order as below it', async () => {
    const f = await importFixture(sys, '封顶');
    for (const [i, branchId] of [f.branchA.id, f.branchB.id, f.branchA.id, f.branchB.id, f.branchA.id].entries())
      await buildPerson(sys, { name: `成员${'戊丁丙乙甲'[i]}`, branchId, role: 'member' });
    const page = (p: number) => sys.services.orgPeople.list(f.admin.person.id, f.school.id, { filter: 'all', scope: 'subtree', page: p, pageSize: 2 });
    const exact = await page(0);
    expect({ total: exact.total, totalCapped: exact.totalCapped }).toEqual({ total: 5, totalCapped: false });
    sys.services.orgPeople.countCap = 4;
    try {
      const capped = [await page(0), await page(1)];
      expect(capped.map((c) => [c.total, c.totalCapped, c.pages])).toEqual([
        [4, true, 2],
        [4, true, 2],
      ]);
      // Walked by name (the large subtree's way): the same order as the sorted list.
      expect(capped.flatMap((c) => c.items.map((p) => p.name))).toEqual(['成员丁', '成员丙', '成员乙', '成员戊']);
    } finally {
      sys.services.orgPeople.countCap = 10_000;
    }
    expect(exact.items.map((p) => p.name)).toEqual(['成员丁', '成员丙']);
  });
});
