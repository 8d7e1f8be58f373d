/**
 * R21 an announcement's queueing survives a crash: a server process queueing a big
 * announcement in the background (its announcements job) is killed with -9 half-way and
 * started again; every recipient ends up queued exactly once.
 */
import { Announcement, OutboxMessage } from '../../models';
import { ANNOUNCEMENT_BATCH, announcementTopic } from '../../server/services/messaging/announcements';
import { buildTree, makeAdmin } from '../helpers/fixtures/admin-fixtures';
import { addCrowd } from '../helpers/fixtures/crowd';
import { startServerProcess } from '../helpers/processes/server-process';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

describe('R21 queueing an announcement across a crash', () => {
  it('R21 kill -9 of the queueing process half-way, then a restart: no recipient dropped, none queued twice', async () => {
    const t = await buildTree(sys, '崩');
    const adminId = (await makeAdmin(sys, t.branchA.id, '崩管')).person.id;
    const crowd = await addCrowd(sys, { branchId: t.branchA.id, count: ANNOUNCEMENT_BATCH * 40, firstChat: 9_600_000 });
    const a = await sys.services.announcements.create(adminId, { orgId: t.branchA.id, audience: 'all', orgKind: null, text: '崩溃重启通知' });
    // No bot token: nothing is sent, the outbox keeps what was queued.
    const env = { DATABASE_URL: sys.databaseUrl, DATA_DIR: sys.dataDir, LOCAL_CHAT: 'off', QUIET_HOURS: 'off' };
    const progress = async () => (await Announcement.findByPk(a.id))!;
    const first = await startServerProcess(env);
    try {
      await until(async () => (await progress()).enqueued >= ANNOUNCEMENT_BATCH * 3, { what: 'three batches queued', timeoutMs: 60_000, intervalMs: 10 });
    } finally {
      await first.kill();
    }
    const atKill = await progress();
    expect(atKill.status).toBe('enqueuing'); // killed half-way
    const second = await startServerProcess(env);
    try {
      await until(async () => (await progress()).status === 'queued', { what: 'queued after the restart', timeoutMs: 120_000 });
    } finally {
      await second.stop();
    }
    const rows = await OutboxMessage.findAll({ where: { topic: announcementTopic(a.id) }, attributes: ['personId'] });
    const told = new Map<number, number>();
    for (const r of rows) told.set(r.personId!, (told.get(r.personId!) ?? 0) + 1);
    console.log(`kill -9 while queueing: ${atKill.enqueued} of ${crowd.length + 1} queued at the kill, ${rows.length} messages after the restart`);
    expect(crowd.filter((p) => told.get(p.personId) !== 1)).toEqual([]);
    expect([...told.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await progress()).toMatchObject({ status: 'queued', recipients: crowd.length + 1, enqueued: crowd.length + 1 });
  }, 240_000);
});
