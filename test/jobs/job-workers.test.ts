/**
 * A background job's worker thread is never terminated: a job its worker has just finished is
 * not taken for a lost lease, and a stop (a lease really lost, the process stopping) is asked
 * of the worker, which stops between rows, closes its database and ends by itself.
 */
import { BackgroundJob, OutboxMessage, Person } from '../../models';
import { backgroundJobsJob, keepJobLease } from '../../server/jobs/background-jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import { runInWorker, wasStopped } from '../../server/jobs/worker-thread';
import { readOutcome } from '../../server/services/platform/job-outcomes';
import { importFixture, queueImport as queueRosterImport } from '../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../helpers/system';
import { wideSubtree, workerSessionsClosed } from './job-fixtures';

let sys: TestSystem;
let fixture: Awaited<ReturnType<typeof importFixture>>;
let exportTree: Awaited<ReturnType<typeof wideSubtree>>;
beforeAll(async () => {
  sys = await createTestSystem();
  fixture = await importFixture(sys, '戊');
  exportTree = await wideSubtree(sys, '戊导出', 3000);
});
afterAll(() => sys.close());

/** A scheduler running only the background jobs; `onShow` sees each progress line as it is shown. */
function runner(opts: { leaseMs?: number; onShow?: (text: string) => void } = {}) {
  const shown: string[] = [];
  const job = backgroundJobsJob(
    {
      test: {
        show: async (_chatId, messageId, text) => {
          shown.push(text);
          opts.onShow?.(text);
          return messageId ?? 'progress';
        },
      },
    },
    { leaseMs: opts.leaseMs },
  );
  return { scheduler: new Scheduler(sys, [job], 'Asia/Shanghai'), job, shown };
}

const queueImport = (rows: number, chatId: string, idOffset: number) => queueRosterImport(sys, fixture, rows, chatId, idOffset);

async function queueExport(chatId: string): Promise<number> {
  const { id } = await sys.services.backgroundJobs.enqueue({
    kind: 'progress-export',
    actorPersonId: exportTree.admin.person.id,
    channel: 'test',
    chatId,
    title: '录入进度表：戊导出县团委',
    params: { orgId: exportTree.root.id },
  });
  return id;
}

const queuedFor = (chatId: string) => OutboxMessage.count({ where: { channel: 'test', chatId } });

/** Warnings and errors the runner logged, by message. */
function logged() {
  const warn = jest.spyOn(sys.logger, 'warn');
  const error = jest.spyOn(sys.logger, 'error');
  const messages = () => [...warn.mock.calls, ...error.mock.calls].map((args) => args.find((a) => typeof a === 'string') as string);
  return { messages, restore: () => (warn.mockRestore(), error.mockRestore()) };
}

describe('the lease of a job whose worker has just finished it', () => {
  it('a renewal right after the worker ended the job finds it finished by this runner, not lost: nothing is stopped', async () => {
    const id = await queueImport(5, 'chat-renew', 600_000);
    const claimed = (await sys.services.backgroundJobs.claimNext('runner-a', 30_000))!;
    expect(claimed.id).toBe(id);
    const lost = jest.fn();
    const lease = keepJobLease(
      sys.services.backgroundJobs,
      { id, owner: 'runner-a', leaseMs: 30_000 },
      {
        lost,
        error: (err) => {
          throw err;
        },
      },
    );
    try {
      await lease.renew();
      expect(lost).not.toHaveBeenCalled();
      // The worker commits the job's end; its 'finished' message has not reached the runner yet.
      expect(await sys.services.backgroundJobs.finish(id, 'runner-a', 'done', { result: 'imported', imported: 5 })).toBe(true);
      expect(await sys.services.backgroundJobs.renew(id, 'runner-a', 30_000)).toBe('finished');
      await lease.renew();
      await lease.renew(); // ended at the first: not even asked again
      expect(lost).not.toHaveBeenCalled();
    } finally {
      lease.end();
    }
  });

  it('a renewal finding another runner on the job is a lost lease, told once; after the end nothing is', async () => {
    const id = await queueImport(5, 'chat-taken', 601_000);
    await sys.services.backgroundJobs.claimNext('runner-a', 1000);
    const lost = jest.fn();
    const lease = keepJobLease(
      sys.services.backgroundJobs,
      { id, owner: 'runner-a', leaseMs: 30_000 },
      {
        lost,
        error: (err) => {
          throw err;
        },
      },
    );
    try {
      sys.clock.advance(1001); // runner-a stopped renewing: runner-b takes the job over, and finishes it
      expect((await sys.services.backgroundJobs.claimNext('runner-b', 30_000))?.id).toBe(id);
      await sys.services.backgroundJobs.finish(id, 'runner-b', 'done', { result: 'imported', imported: 5 });
      expect(await sys.services.backgroundJobs.renew(id, 'runner-a', 30_000)).toBe('lost');
      await lease.renew();
      await lease.renew();
      expect(lost).toHaveBeenCalledTimes(1);
    } finally {
      lease.end();
    }
    const ended = keepJobLease(
      sys.services.backgroundJobs,
      { id, owner: 'runner-a', leaseMs: 30_000 },
      {
        lost,
        error: (err) => {
          throw err;
        },
      },
    );
    ended.end(); // the worker posted 'finished': a renewal under way or due is not looked at
    await ended.renew();
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('R7 an import whose lease is renewed every few milliseconds, through its end and after, is done once and never stopped', async () => {
    const before = await Person.count();
    const id = await queueImport(400, 'chat-busy-lease', 602_000);
    const log = logged();
    try {
      const { scheduler, job, shown } = runner({ leaseMs: 30 }); // a renewal every 10 ms
      await scheduler.runOnce(job);
      expect(log.messages()).toEqual([]);
      expect(shown.at(-1)).toBe('已处理 400/400 行，已全部写入');
    } finally {
      log.restore();
    }
    const row = (await BackgroundJob.findByPk(id))!;
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    expect(readOutcome(row.outcome)).toEqual({ result: 'imported', imported: 400 });
    expect(await queuedFor('chat-busy-lease')).toBe(1);
    expect(await Person.count()).toBe(before + 400);
    await workerSessionsClosed(sys);
  });
});

describe('stopping a worker: asked, never terminated', () => {
  it.each(['roster-import', 'progress-export'] as const)(
    'a %s worker asked to stop before its first row closes its database, writes nothing and ends by itself',
    async (kind) => {
      const chatId = `chat-early-${kind}`;
      const id = kind === 'roster-import' ? await queueImport(50, chatId, 603_000) : await queueExport(chatId);
      await sys.services.backgroundJobs.claimNext('runner-early', 60_000);
      const job = (await BackgroundJob.findByPk(id))!;
      const work = {
        seed: sys.workerSeed(),
        jobId: id,
        owner: 'runner-early',
        actorPersonId: job.actorPersonId,
        channel: 'test',
        chatId,
        ...(kind === 'roster-import' ? { fileName: '名单.xlsx' } : { orgId: exportTree.root.id, title: job.title }),
      };
      const messages: unknown[] = [];
      const stop = new AbortController();
      stop.abort();
      const ended = await runInWorker(`${kind}.ts`, work, { signal: stop.signal, onMessage: (m) => messages.push(m) }).then(
        () => null,
        (err: Error) => err,
      );
      expect(wasStopped(ended)).toBe(true);
      expect(messages).toEqual([]);
      await workerSessionsClosed(sys);
      expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'running', owner: 'runner-early', outcome: null });
      expect(await queuedFor(chatId)).toBe(0);
      await sys.services.backgroundJobs.release(id, 'runner-early');
      await BackgroundJob.destroy({ where: { id } });
    },
  );

  it('R7 a lease lost during the import (another runner has the job) stops its worker between rows: nothing written, its database closed, the job left to the other runner', async () => {
    const before = await Person.count();
    const id = await queueImport(6000, 'chat-lost', 610_000);
    const log = logged();
    // Another runner takes the job over as soon as reading has begun.
    let taken = false;
    const takeOver = () => {
      if (!taken) void BackgroundJob.update({ owner: 'runner-b', leaseUntil: new Date(sys.clock.now.getTime() + 600_000) }, { where: { id } });
      taken = true;
    };
    const { scheduler, job, shown } = runner({ leaseMs: 150, onShow: takeOver });
    try {
      await scheduler.runOnce(job);
      expect(log.messages()).toEqual(['background job lease lost; stopping it']);
    } finally {
      log.restore();
    }
    expect(shown.some((t) => t.includes('导入成功') || t.includes('已全部写入'))).toBe(false);
    await workerSessionsClosed(sys);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'running', owner: 'runner-b', outcome: null });
    expect(await queuedFor('chat-lost')).toBe(0);
    expect(await Person.count()).toBe(before);
    // The runner that has it now runs it (here: gives it back, and a runner does it once).
    await sys.services.backgroundJobs.release(id, 'runner-b');
    const again = runner();
    await again.scheduler.runOnce(again.job);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'done' });
    expect(await Person.count()).toBe(before + 6000);
  });

  it('R17 stopping the process during an export asks its worker to stop: its database closed, nothing sent, the job back in the queue; the next runner makes it', async () => {
    const id = await queueExport('chat-export-stop');
    const log = logged();
    const stopping: { stop?: () => Promise<void> } = {};
    const first = runner({ onShow: (text) => text.startsWith('正在统计') && void stopping.stop?.() });
    stopping.stop = () => first.scheduler.stop();
    try {
      await first.scheduler.runOnce(first.job);
      expect(log.messages()).toEqual([]);
    } finally {
      log.restore();
    }
    await workerSessionsClosed(sys);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'queued', attempts: 0, outcome: null });
    expect(await queuedFor('chat-export-stop')).toBe(0);
    const again = runner();
    await again.scheduler.runOnce(again.job);
    const row = (await BackgroundJob.findByPk(id))!;
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    expect(readOutcome(row.outcome)).toEqual({ result: 'exported', orgs: exportTree.orgs });
    expect(await queuedFor('chat-export-stop')).toBe(1);
  });
});
