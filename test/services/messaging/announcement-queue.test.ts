/**
 * R21 announcements queued in one pass: the recipients are a snapshot taken once, queued in
 * batches exactly once whatever changes meanwhile, and announcements take turns, so a small
 * one confirmed after a big one is queued before the big one is done.
 */
import { QueryTypes } from 'sequelize';
import { Announcement, OutboxMessage } from '../../../models';
import { ANNOUNCEMENT_BATCH, announcementTopic } from '../../../server/services/messaging/announcements';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { addCrowd } from '../../helpers/fixtures/crowd';
import { buildOrg } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let t: Awaited<ReturnType<typeof buildTree>>;
let adminId: number;

beforeAll(async () => {
  sys = await createTestSystem();
  t = await buildTree(sys, '列');
  adminId = (await makeAdmin(sys, t.city.id, '列管')).person.id;
});
afterAll(() => sys.close());

const announce = (orgId: number, text: string) => sys.services.announcements.create(adminId, { orgId, audience: 'all', orgKind: null, text });

/** Messages queued per person under the announcement. */
async function timesTold(id: number): Promise<Map<number, number>> {
  const rows = await OutboxMessage.findAll({ where: { topic: announcementTopic(id) }, attributes: ['personId'] });
  const told = new Map<number, number>();
  for (const r of rows) told.set(r.personId!, (told.get(r.personId!) ?? 0) + 1);
  return told;
}

const moveTo = (personIds: number[], branchId: number) =>
  sys.db.sequelize.query(`UPDATE people SET branch_id = :branchId WHERE id IN (:personIds)`, {
    replacements: { branchId, personIds },
    type: QueryTypes.UPDATE,
  });

describe('R21 announcements queued from one snapshot', () => {
  it('R21 each person of the snapshot exactly once across batches, with people joining, leaving and moving in while it is queued', async () => {
    const branch = await buildOrg(sys, { parentId: t.school.id, fullName: '共青团列市第一中学快照班团支部', shortName: '快照班', kind: 'branch' });
    const inside = await addCrowd(sys, { branchId: branch.id, count: ANNOUNCEMENT_BATCH * 2 + 300, firstChat: 9_100_000 });
    const outside = await addCrowd(sys, { branchId: t.otherBranch.id, count: 50, firstChat: 9_200_000 });
    const a = await announce(t.school.id, '快照通知');
    expect(await sys.services.announcements.enqueueNext()).toEqual({ announcementId: a.id, done: false }); // the snapshot
    const snapshot = (await Announcement.findByPk(a.id))!.recipients;
    expect(snapshot).toBe(inside.length);
    expect(await sys.services.announcements.enqueueNext()).toEqual({ announcementId: a.id, done: false }); // the first batch

    // Meanwhile: the last 100 of the crowd (not queued yet) leave the subtree, 50 move in from the
    // county, 30 new members join. Rule: the snapshot decides; the leavers are still told, the
    // newcomers are not (a later announcement reaches them).
    const leavers = inside.slice(-100).map((p) => p.personId);
    await moveTo(leavers, t.otherBranch.id);
    await moveTo(
      outside.map((p) => p.personId),
      branch.id,
    );
    const joined = await addCrowd(sys, { branchId: branch.id, count: 30, firstChat: 9_300_000 });
    let steps = 0;
    while (await sys.services.announcements.enqueueNext()) steps++;
    expect(steps).toBe(2); // two more batches: the snapshot does not grow

    const told = await timesTold(a.id);
    for (const p of inside) expect(told.get(p.personId)).toBe(1);
    for (const p of [...outside, ...joined]) expect(told.get(p.personId)).toBeUndefined();
    expect([...told.values()].every((n) => n === 1)).toBe(true);
    expect((await Announcement.findByPk(a.id))!).toMatchObject({ status: 'queued', enqueued: snapshot, reached: inside.length, messages: inside.length });
    // The snapshot is used up: nothing of it stays behind.
    const [left] = await sys.db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM announcement_recipients WHERE announcement_id = :id', {
      replacements: { id: a.id },
      type: QueryTypes.SELECT,
    });
    expect(Number(left.n)).toBe(0);
  });

  it('R21 fairness: a small announcement confirmed after a big one is fully queued before the big one finishes', async () => {
    const branch = await buildOrg(sys, { parentId: t.city.id, fullName: '共青团列市大广播团支部', shortName: '大广播', kind: 'branch' });
    await addCrowd(sys, { branchId: branch.id, count: ANNOUNCEMENT_BATCH * 5, firstChat: 9_400_000 });
    const big = await announce(branch.id, '大通知');
    await sys.services.announcements.enqueueNext(); // the big one's snapshot
    await sys.services.announcements.enqueueNext(); // and its first batch
    await addCrowd(sys, { branchId: t.branchA.id, count: 5, firstChat: 9_500_000 });
    const small = await announce(t.branchA.id, '小通知');
    const order: number[] = [];
    for (let step = await sys.services.announcements.enqueueNext(); step; step = await sys.services.announcements.enqueueNext()) {
      order.push(step.announcementId);
      if (step.announcementId === small.id && step.done) {
        expect((await Announcement.findByPk(big.id))!.status).toBe('enqueuing');
      }
    }
    // Turns alternate: the small one's two steps (snapshot, batch) come within the big one's next two.
    expect(order.slice(0, 4)).toEqual([small.id, big.id, small.id, big.id]);
    expect(await Announcement.findByPk(small.id)).toMatchObject({ status: 'queued' });
    expect(await Announcement.findByPk(big.id)).toMatchObject({ status: 'queued', enqueued: ANNOUNCEMENT_BATCH * 5 });
  });
});
