/**
 * R21 announcements (通知推送): an admin's message to its organisation's subtree reaches the
 * people of that subtree and nobody else (all, cadres only, or one kind of organisation); the
 * recipients are queued in the background from one snapshot in batches, once; delivery counts
 * by status.
 */
import { renderNotice } from '../../../flows/notices';
import { Announcement, AuditLog, OutboxMessage } from '../../../models';
import { ANNOUNCEMENT_BATCH, announcementTopic } from '../../../server/services/messaging/announcements';
import { DeliveryError } from '../../../server/services/messaging/outbox';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { addCrowd } from '../../helpers/fixtures/crowd';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let t: Awaited<ReturnType<typeof buildTree>>;
const who: Record<string, number> = {};
let chat = 8_100_000;

async function person(name: string, branchId: number | null, role: 'member' | 'cadre' = 'member') {
  const { person } = await buildPerson(sys, { name, branchId, role });
  await sys.services.bindings.bind('test', String(++chat), String(chat), person.id);
  who[name] = person.id;
  return person.id;
}

beforeAll(async () => {
  sys = await createTestSystem();
  t = await buildTree(sys, '告');
  for (const [name, org] of [
    ['市管', t.city],
    ['校管', t.school],
    ['支管', t.branchA],
    ['县管', t.other],
  ] as const) {
    const admin = await makeAdmin(sys, org.id, name);
    await sys.services.bindings.bind('test', String(++chat), String(chat), admin.person.id);
    who[name] = admin.person.id;
  }
  await person('甲团员', t.branchA.id);
  await person('乙团员', t.branchB.id);
  await sys.services.posts.add(await person('校书记', null, 'cadre'), t.school.id, '书记');
  await sys.services.posts.add(await person('支书', t.branchA.id, 'cadre'), t.branchA.id, '团支部书记');
  await person('县团员', t.otherBranch.id);
  await sys.services.posts.add(await person('县干部', null, 'cadre'), t.other.id, '副书记');
  // A cadre of the school who is a member elsewhere: in the subtree by the post.
  await sys.services.posts.add(await person('兼职委员', t.otherBranch.id), t.school.id, '委员');
});
afterAll(() => sys.close());

/** Queues every batch of every announcement waiting, as the background job does. */
async function enqueueAll(): Promise<number> {
  let pages = 0;
  while (await sys.services.announcements.enqueueNext()) pages++;
  return pages;
}

/** Names of the people an announcement's messages were queued for. */
async function recipientsOf(id: number): Promise<string[]> {
  const rows = await OutboxMessage.findAll({ where: { topic: announcementTopic(id) } });
  const byId = new Map(Object.entries(who).map(([name, pid]) => [pid, name]));
  return [...new Set(rows.map((r) => byId.get(r.personId!) ?? `#${r.personId}`))].sort();
}

describe('R21 announcements: who receives them', () => {
  it('R21 to a school and those below: its members, cadres and admins, nobody outside the subtree (not the city above, not the county beside)', async () => {
    const preview = await sys.services.announcements.preview(who['校管'], {
      orgId: t.school.id,
      audience: 'all',
      orgKind: null,
      text: '  本周五下午团课，请准时参加。\n\n\n\n地点：报告厅  ',
    });
    expect(preview).toMatchObject({ recipients: 7, reachable: 7, text: '本周五下午团课，请准时参加。\n\n地点：报告厅' });
    const a = await sys.services.announcements.create(who['校管'], {
      orgId: t.school.id,
      audience: 'all',
      orgKind: null,
      text: '本周五下午团课，请准时参加。',
    });
    expect(await OutboxMessage.count({ where: { topic: announcementTopic(a.id) } })).toBe(0); // queued in the background, not here
    await enqueueAll();
    expect(await recipientsOf(a.id)).toEqual(['乙团员', '兼职委员', '支书', '支管', '校书记', '校管', '甲团员'].sort());
    const rows = await OutboxMessage.findAll({ where: { topic: announcementTopic(a.id) } });
    expect(rows.every((r) => r.push)).toBe(true); // pushed: quiet hours hold them
    const reply = await renderNotice(sys.services, JSON.parse(rows[0].payload), { channel: 'test', chatId: rows[0].chatId, personId: rows[0].personId });
    expect(reply?.text).toContain(`【通知】${t.school.fullName}`);
    expect(reply?.text).toContain('本周五下午团课');
    const audit = await AuditLog.findOne({ where: { action: 'announcement.create', targetId: String(a.id) } });
    expect(audit).toMatchObject({ actorPersonId: who['校管'], orgId: t.school.id });
  });

  it('R21 cadres only: post holders and admins of the subtree, no plain member', async () => {
    const a = await sys.services.announcements.create(who['校管'], { orgId: t.school.id, audience: 'cadres', orgKind: null, text: '团干部会议通知' });
    await enqueueAll();
    expect(await recipientsOf(a.id)).toEqual(['兼职委员', '支书', '支管', '校书记', '校管'].sort());
  });

  it("R21 only branches: the branches' members and cadres, not the school committee's own cadres", async () => {
    const a = await sys.services.announcements.create(who['市管'], {
      orgId: t.city.id,
      audience: 'all',
      orgKind: 'branch',
      text: '各团支部请于月底前完成团籍注册',
    });
    await enqueueAll();
    expect(await recipientsOf(a.id)).toEqual(['乙团员', '支书', '支管', '甲团员'].sort());
    expect(await sys.services.announcements.kindsUnder(who['市管'], t.city.id)).toEqual(['leading_body', 'committee', 'branch']);
  });

  it('R21 only admins of the organisation or above may announce to it or see its announcements; a forged id learns nothing', async () => {
    const draft = { orgId: t.school.id, audience: 'all' as const, orgKind: null, text: '越权通知' };
    await expect(sys.services.announcements.create(who['支管'], draft)).rejects.toThrow('不能向它发布通知');
    await expect(sys.services.announcements.create(who['县管'], draft)).rejects.toThrow('不能向它发布通知');
    await expect(sys.services.announcements.create(who['甲团员'], draft)).rejects.toThrow('不能向它发布通知');
    const a = await sys.services.announcements.create(who['校管'], { ...draft, text: '正常通知' });
    expect((await sys.services.announcements.progress(who['市管'], a.id)).announcement.id).toBe(a.id); // above: may see
    const refusal = '找不到这条通知';
    await expect(sys.services.announcements.progress(who['县管'], a.id)).rejects.toThrow(refusal);
    await expect(sys.services.announcements.progress(who['支管'], a.id)).rejects.toThrow(refusal);
    await expect(sys.services.announcements.progress(who['县管'], 987654)).rejects.toThrow(refusal);
    expect((await sys.services.announcements.listFor(who['县管'])).map((p) => p.announcement.id)).not.toContain(a.id);
    await expect(sys.services.announcements.create(who['校管'], { ...draft, text: ' ' })).rejects.toThrow('至少 2 个字');
    await expect(sys.services.announcements.create(who['校管'], { ...draft, text: '长'.repeat(1501) })).rejects.toThrow('最多 1500 个字');
    await enqueueAll();
  });

  it('R21 a big subtree is queued in the background from a snapshot a batch at a time, with progress, once (a repeated batch queues nothing new)', async () => {
    const crowd = await addCrowd(sys, { branchId: t.branchB.id, count: 1200, firstChat: null });
    for (const p of crowd.slice(0, 1000)) await sys.services.bindings.bind('test', `crowd-${p.personId}`, `crowd-${p.personId}`, p.personId);
    const a = await sys.services.announcements.create(who['校管'], { orgId: t.school.id, audience: 'all', orgKind: null, text: '全校团员大会' });
    expect(a.recipients).toBe(1207);
    expect(await sys.services.announcements.enqueueNext()).toEqual({ announcementId: a.id, done: false }); // the snapshot
    expect((await Announcement.findByPk(a.id))!).toMatchObject({ status: 'enqueuing', recipients: 1207, enqueued: 0 });
    expect(await sys.services.announcements.enqueueNext()).toEqual({ announcementId: a.id, done: false });
    const halfway = await sys.services.announcements.progress(who['校管'], a.id);
    expect(halfway.announcement).toMatchObject({ status: 'enqueuing', enqueued: ANNOUNCEMENT_BATCH });
    expect(halfway.counts.pending).toBe(halfway.announcement.messages);
    await enqueueAll();
    const done = (await Announcement.findByPk(a.id))!;
    expect(done).toMatchObject({ status: 'queued', enqueued: 1207, reached: 1007, messages: 1007 });
    // As if everything ran again, snapshot and all: the dedupe keys hold.
    await done.update({ status: 'enqueuing', cursor: 0, enqueued: 0, snapshotAt: null });
    await enqueueAll();
    expect(await OutboxMessage.count({ where: { topic: announcementTopic(a.id) } })).toBe(1007);
  });

  it('R21 delivery counts: sent, pending, blocked and failed, as the admin sees them', async () => {
    const a = await sys.services.announcements.create(who['校管'], { orgId: t.school.id, audience: 'cadres', orgKind: null, text: '发送统计' });
    await enqueueAll();
    const rows = await OutboxMessage.findAll({ where: { topic: announcementTopic(a.id) }, order: [['id', 'ASC']] });
    const [toBlock, toFail, ...rest] = rows.map((r) => r.chatId);
    // The earlier announcements' messages are still pending: only this one's are counted.
    let seen = 0;
    const run = await sys.services.outbox.deliverDue(
      {
        test: async (chatId, notice) => {
          if (notice.kind !== 'announcement' || notice.announcementId !== a.id) return;
          seen++;
          if (chatId === toBlock) throw new DeliveryError('blocked', '403');
          if (chatId === toFail) throw new DeliveryError('rejected', '400');
          if (chatId === rest[0]) throw new DeliveryError('retry', '429', 60_000);
        },
      },
      { owner: 'count-test', limit: 5000 },
    );
    expect(seen).toBe(5);
    expect(run).toMatchObject({ blocked: 1, failed: 1, deferred: 1 });
    const { counts } = await sys.services.announcements.progress(who['校管'], a.id);
    expect(counts).toMatchObject({ sent: 2, pending: 1, blocked: 1, failed: 1 });
  });
});
