import { Scheduler } from '../../server/jobs/scheduler';
import type { Job } from '../../server/jobs/job';
import { outboxSenderJob } from '../../server/jobs/outbox-sender';
import { buildPerson } from '../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../helpers/system';
import { sleep } from '../helpers/wait';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

/** A promise and the function that settles it. */
function gate<T = void>(): { promise: Promise<T>; open(v: T): void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

describe('scheduler', () => {
  it('runs a job in one process at a time (database lease), also in its own process', async () => {
    let runs = 0;
    const started = gate();
    const release = gate();
    const job: Job = {
      name: 'slow',
      schedule: '0 0 1 1 *',
      run: async () => {
        runs++;
        started.open();
        await release.promise;
      },
    };
    const a = new Scheduler(sys, [job], 'Asia/Shanghai');
    const b = new Scheduler(await sys.reopen(), [job], 'Asia/Shanghai');
    const first = a.runOnce(job);
    await started.promise; // the first run holds the lease now
    expect(await b.runOnce(job)).toBe(false);
    const again = a.runOnce(job); // the same process may not overlap itself either
    release.open();
    expect(await first).toBe(true);
    expect(await again).toBe(false);
    expect(await b.runOnce(job)).toBe(true);
    expect(runs).toBe(2);
  });

  it('R21 a scheduled run happens once per schedule across processes, and again at the next', async () => {
    let runs = 0;
    const job: Job = { name: 'per-slot', schedule: '* * * * * *', run: async () => void runs++ };
    const a = new Scheduler(sys, [job], 'Asia/Shanghai');
    const b = new Scheduler(await sys.reopen(), [job], 'Asia/Shanghai');
    const slot = new Date(Math.floor(Date.now() / 1000) * 1000 + 10_000);
    // Both processes fire for the same slot; the first run is over before the second asks.
    expect(await a.runOnce(job, slot)).toBe(true);
    expect(await b.runOnce(job, slot)).toBe(false);
    expect(await a.runOnce(job, slot)).toBe(false);
    expect(await b.runOnce(job, new Date(slot.getTime() + 1000))).toBe(true);
    expect(runs).toBe(2);
  });

  it('renews the lease of a run that outlasts it, and takes over a dead holder promptly', async () => {
    const leaseMs = 300;
    const release = gate();
    const started = gate();
    const long: Job = {
      name: 'long',
      schedule: '0 0 1 1 *',
      leaseMs,
      run: async () => {
        started.open();
        await release.promise;
      },
    };
    const a = new Scheduler(sys, [long], 'Asia/Shanghai');
    const b = new Scheduler(await sys.reopen(), [long], 'Asia/Shanghai');
    const first = a.runOnce(long);
    await started.promise;
    for (let i = 0; i < 6; i++) {
      await sleep(leaseMs / 2); // real time: the renewal timer runs on it, not on the test clock
      sys.clock.advance(leaseMs / 2);
      expect(await b.runOnce(long)).toBe(false); // three lease lengths later, still renewed
    }
    release.open();
    await first;

    // A holder that took the lease and died: never renewed, never released.
    expect(await sys.services.jobLocks.acquire('long', 'dead-process', leaseMs)).toEqual({ takenOverFrom: null });
    let ran: string | null | undefined;
    const takeover: Job = { ...long, run: async (_s, run) => void (ran = run.takenOverFrom) };
    expect(await b.runOnce(takeover)).toBe(false);
    sys.clock.advance(leaseMs + 1);
    expect(await b.runOnce(takeover)).toBe(true);
    expect(ran).toBe('dead-process');
  });

  it('a failing job is logged, releases its lease and runs again next time', async () => {
    let calls = 0;
    const job: Job = {
      name: 'flaky',
      schedule: '0 0 1 1 *',
      run: async () => {
        calls++;
        throw new Error('boom');
      },
    };
    const s = new Scheduler(sys, [job], 'Asia/Shanghai');
    expect(await s.runOnce(job)).toBe(true);
    expect(await s.runOnce(job)).toBe(true);
    expect(calls).toBe(2);
    const failed = (await sys.metrics.jobRuns.get()).values.find((v) => v.labels.job === 'flaky' && v.labels.outcome === 'failed');
    expect(failed?.value).toBe(2);
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
        delivered.push(`${chatId}:${m.kind === 'message' ? m.text : m.kind}`);
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

  it('R21 a sender that took over from a dead one sends what the dead one had claimed at once', async () => {
    const { person } = await buildPerson(sys);
    await sys.services.bindings.bind('telegram', '999002', '999002', person.id);
    await sys.services.outbox.toPerson(person.id, { text: '认领后中断的消息' });
    // The dead sender claimed the message (and the job lease) and stopped.
    const claimed = await sys.services.outbox.deliverDue({ telegram: () => new Promise(() => undefined) }, { owner: 'dead-sender', limit: 0 });
    expect(claimed.claimed).toBe(0);
    await sys.db.fast.run("UPDATE outbox_messages SET claimed_by = 'dead-sender', claimed_until = ? WHERE chat_id = '999002'", [
      sys.db.fast.timestamp(new Date(sys.clock.now.getTime() + 3600_000)),
    ]);
    await sys.services.jobLocks.acquire('outbox-sender', 'dead-sender', 10_000);
    sys.clock.advance(10_001);
    const delivered: string[] = [];
    const s = new Scheduler(
      sys,
      [outboxSenderJob({ telegram: async (_c, m) => void delivered.push(m.kind === 'message' ? m.text : m.kind) })],
      'Asia/Shanghai',
    );
    expect(await s.runNow('outbox-sender')).toBe(true);
    expect(delivered).toEqual(['认领后中断的消息']);
  });
});
