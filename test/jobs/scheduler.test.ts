import { Scheduler } from '../../server/jobs/scheduler';
import type { Job } from '../../server/jobs/job';
import { outboxSenderJob } from '../../server/jobs/outbox-sender';
import { buildPerson } from '../helpers/factories';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

describe('scheduler', () => {
  it('runs a job in one process at a time (database lease)', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const job: Job = { name: 'slow', schedule: '0 0 1 1 *', run: async () => { runs++; await gate; } };
    const a = new Scheduler(sys, [job], 'Asia/Shanghai');
    const other = await sys.reopen();
    const b = new Scheduler(other, [job], 'Asia/Shanghai');
    const first = a.runOnce(job);
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.runOnce(job)).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(await b.runOnce(job)).toBe(true);
    expect(runs).toBe(2);
  });

  it('a failing job is logged, releases its lease and runs again next time', async () => {
    let calls = 0;
    const job: Job = { name: 'flaky', schedule: '0 0 1 1 *', run: async () => { calls++; throw new Error('boom'); } };
    const s = new Scheduler(sys, [job], 'Asia/Shanghai');
    expect(await s.runOnce(job)).toBe(true);
    expect(await s.runOnce(job)).toBe(true);
    expect(calls).toBe(2);
  });

  it('R21 the outbox sender retries a failed delivery later and never sends twice', async () => {
    const { person } = await buildPerson(sys);
    await sys.services.bindings.bind('telegram', '999001', '999001', person.id);
    await sys.services.outbox.toPerson(person.id, { text: '提醒' });
    const delivered: string[] = [];
    let fail = true;
    const job = outboxSenderJob({
      telegram: async (chatId, m) => {
        if (fail) throw new Error('network down');
        delivered.push(`${chatId}:${m.text}`);
      },
    });
    const s = new Scheduler(sys, [job], 'Asia/Shanghai');
    await s.runOnce(job);
    expect(delivered).toEqual([]);
    fail = false;
    await s.runOnce(job); // backing off: not due yet
    expect(delivered).toEqual([]);
    sys.clock.advance(60_000);
    await s.runOnce(job);
    await s.runOnce(job);
    expect(delivered).toEqual(['999001:提醒']);
  });
});
