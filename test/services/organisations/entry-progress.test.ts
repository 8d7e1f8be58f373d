import { PNG } from 'pngjs';
import { ForbiddenError } from '../../../server/errors';
import { CHART_MAX_BARS, CHART_WIDTH, progressChartOption, progressChartPng } from '../../../server/services/organisations/entry-progress/chart';
import { isComplete, shortfallOf } from '../../../server/services/organisations/entry-progress/rules';
import { enterCadres, enterMembers, enterPerson, progressRoot } from '../../helpers/fixtures/progress';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** A subtree with every kind, complete and not, people lacking fields, shared posts. */
async function mixedTree() {
  const w = await progressRoot(sys, '混合');
  const committee = await w.org('committee');
  await enterCadres(sys, committee.id, 2);
  const general = await w.org('general_branch', committee.id);
  await enterCadres(sys, general.id, 1);
  const full = await w.org('branch', general.id);
  await enterMembers(sys, full.id, 4);
  const lacking = await w.org('branch', general.id);
  await enterMembers(sys, lacking.id, 2);
  await enterPerson(sys, {
    branchId: lacking.id,
    role: 'cadre',
    missing: ['phone'],
    posts: [
      [lacking.id, '团支部书记'],
      [general.id, '委员'],
    ],
  });
  const working = await w.org('working_committee');
  await enterPerson(sys, { role: 'member', posts: [[working.id, '书记']] });
  await enterPerson(sys, { role: 'cadre', posts: [[working.id, '副书记']], missing: ['education'] });
  const empty = await w.org('branch', working.id);
  const leading = await w.org('leading_body');
  return { ...w, committee, general, full, lacking, working, empty, leading };
}

describe('entry progress (the service)', () => {
  it('R17 what the SQL counts complete is what rules.ts says, for every organisation', async () => {
    const w = await mixedTree();
    const { rows } = await sys.services.entryProgress.everyOrg(w.admin.person.id, w.root.id);
    expect(rows).toHaveLength(8);
    for (const r of rows) expect({ id: r.id, complete: r.complete }).toEqual({ id: r.id, complete: isComplete(shortfallOf(r.kind, r.count)) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(w.lacking.id)!.count).toEqual({ people: 3, incompleteMembers: 0, incompleteCadres: 1 });
    expect(byId.get(w.general.id)!.reason).toBe('1名团干部信息不完整'); // its own cadre, and the branch secretary holding a post there
    expect(byId.get(w.working.id)!.reason).toBe('1名团干部信息不完整');
    expect(byId.get(w.empty.id)!.reason).toBe('还差3名团员');
    expect(byId.get(w.leading.id)!.reason).toBe('还差1名团干部');

    const view = await sys.services.entryProgress.view(w.admin.person.id, w.root.id);
    expect({ total: view.total, complete: view.complete }).toEqual({ total: 8, complete: rows.filter((r) => r.complete).length });
    expect(view.incomplete.total).toBe(rows.filter((r) => !r.complete).length);
    // Each organisation directly below, over its own subtree.
    expect(view.children.map((c) => [c.id, c.complete, c.total])).toEqual([
      [w.committee.id, 2, 4], // the committee and the full branch; not the general branch nor the one lacking
      [w.working.id, 0, 2],
      [w.leading.id, 0, 1],
    ]);
  });

  it('R17 an admin of a sibling is refused, and so is an organisation that does not exist, in the same words', async () => {
    const a = await progressRoot(sys, '甲权');
    const b = await progressRoot(sys, '乙权');
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (err: Error) => err,
      );
    const sibling = await refusal(sys.services.entryProgress.view(a.admin.person.id, b.root.id));
    const missing = await refusal(sys.services.entryProgress.view(a.admin.person.id, 987_654_321));
    expect(sibling).toBeInstanceOf(ForbiddenError);
    expect(missing).toBeInstanceOf(ForbiddenError);
    expect(missing!.message).toBe(sibling!.message);
    await expect(sys.services.entryProgress.export(a.admin.person.id, b.root.id, { channel: 'test', chatId: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('R17 an admin of an organisation and one below it looks from the upper one only', async () => {
    const w = await progressRoot(sys, '上下');
    const below = await w.org('committee');
    await sys.services.admins.add(below.id, w.admin.person.id);
    expect((await sys.services.entryProgress.rootsOf(w.admin.person.id)).map((o) => o.id)).toEqual([w.root.id]);
  });

  it('R17 the chart shows at most 30 organisations below, the least complete first, and says so', async () => {
    const children = Array.from({ length: 35 }, (_, i) => ({
      id: i + 2,
      fullName: `共青团某县第${i + 1}中学委员会`,
      shortName: `第${i + 1}中学团委`,
      kind: 'committee' as const,
      complete: i,
      total: 40,
    }));
    const view = {
      org: { id: 1, fullName: '共青团某县委员会', shortName: '某县团委', kind: 'leading_body' as const },
      at: new Date(),
      total: 1401,
      complete: 595,
      kinds: [],
      children,
      incomplete: { total: 806, page: 0, pages: 81, rows: [] },
    };
    const { option, height } = progressChartOption(view);
    const axis = option.yAxis as { data: string[] };
    expect(axis.data).toHaveLength(CHART_MAX_BARS);
    expect(axis.data[0]).toBe('第1中学团委'); // 0 of 40
    expect((option.title as { subtext: string }).subtext).toContain(`下级组织共 35 个，只显示完成率最低的 ${CHART_MAX_BARS} 个`);
    const png = PNG.sync.read(await progressChartPng(view));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, height]);
  });
});
