/**
 * Searches with the text as typed: `%` and `_` in a search box match those characters only
 * (server/lib/like.ts), in the organisation search and the participant picker's search.
 */
import { buildOrg, buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, type TestSystem } from '../../helpers/system';
import { ApiClient, buildWorld, DAY, MEMBER_PASSWORD, startApi } from './helpers';

let sys: TestSystem;
let api: { base: string; close(): Promise<void> };
let w: Awaited<ReturnType<typeof buildWorld>>;
let committee: ApiClient;

beforeAll(async () => {
  sys = await createTestSystem();
  api = await startApi(sys);
  w = await buildWorld(sys, '通配');
  committee = new ApiClient(api.base);
  await committee.login(w.committeeAdmin.idNumber, w.committeeAdmin.password);
});
afterAll(async () => {
  await api.close();
  await sys.close();
});

const search = (q: string) => committee.get(`/api/orgs/search?q=${encodeURIComponent(q)}`);

describe('R17 R18 search text is matched as typed, wildcards included', () => {
  it('R17: GET /api/orgs/search with % or _ finds no organisation unless its name has one', async () => {
    const plainHits = await search('通配');
    expect(plainHits.status).toBe(200);
    // The subtree has organisations (the search works), and none of them has % or _ in its name.
    expect(plainHits.body.items.length).toBeGreaterThan(1);
    for (const q of ['%', '_', '%%', '%_%']) {
      const res = await search(q);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    const marked = await buildOrg(sys, {
      parentId: w.tree.school.id,
      fullName: '共青团通配市第一中学100%志愿者团支部',
      shortName: '通配100%志愿',
      kind: 'branch',
    });
    expect((await search('%')).body.items.map((o: { id: number }) => o.id)).toEqual([marked.id]);
    expect((await search('100%')).body.items.map((o: { id: number }) => o.id)).toEqual([marked.id]);
    expect((await search('10_%')).body.items).toEqual([]);
  });

  it('R18: the picker search finds people and organisations by % as typed, not everyone', async () => {
    const now = sys.clock.now.getTime();
    const activity = await sys.services.activities.create(w.committeeAdmin.person.id, {
      orgId: w.tree.school.id,
      kind: 'lesson',
      title: '通配团课',
      startsAt: new Date(now + DAY),
      endsAt: new Date(now + DAY + 3_600_000),
    });
    await buildPerson(sys, { name: '赵普通', branchId: w.tree.branchA.id, password: MEMBER_PASSWORD });
    const picker = (q: string) => committee.get(`/api/activities/${activity.id}/picker?q=${encodeURIComponent(q)}`);
    const everyone = await picker('吴');
    expect(everyone.status).toBe(200);
    expect(everyone.body.people.length).toBeGreaterThan(0);
    // Only names that have the character itself (the first test's 100% branch), never the whole scope.
    for (const q of ['%', '_']) {
      const res = await picker(q);
      expect(res.status).toBe(200);
      expect(res.body.people).toEqual([]);
      expect(res.body.orgs.map((o: { fullName: string }) => o.fullName.includes(q))).toEqual(q === '%' ? [true] : []);
    }
  });
});
