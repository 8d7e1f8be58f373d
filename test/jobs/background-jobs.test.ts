import { BackgroundJob, Person } from '../../models';
import { backgroundJobsJob } from '../../server/jobs/background-jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import { MAX_JOB_ATTEMPTS } from '../../server/services/platform/background-jobs';
import { readOutcome } from '../../server/services/platform/job-outcomes';
import { takeRendered } from '../helpers/notices';
import { importFixture, queueImport as queueRosterImport } from '../helpers/fixtures/roster';
import { createTestSystem, TestSystem } from '../helpers/system';
import { until } from '../helpers/wait';

let sys: TestSystem;
let fixture: Awaited<ReturnType<typeof importFixture>>;
beforeAll(async () => {
  sys = await createTestSystem();
  fixture = await importFixture(sys, '丙');
});
afterAll(() => sys.close());

/** A scheduler running only the background jobs, with the progress lines shown per chat. */
function runner() {
  const shown: Array<{ chatId: string; messageId: string | null; text: string }> = [];
  let next = 100;
  const job = backgroundJobsJob({
    test: {
      show: async (chatId, messageId, text) => {
        shown.push({ chatId, messageId, text });
        return messageId ?? String(next++);
      },
    },
  });
  return { scheduler: new Scheduler(sys, [job], 'Asia/Shanghai'), job, shown };
}

const queueImport = (rows: number, chatId: string, idOffset: number) => queueRosterImport(sys, fixture, rows, chatId, idOffset);

/** Outbox texts queued for a test chat. */
async function told(chatId: string): Promise<string[]> {
  return (await takeRendered(sys, 'test', chatId)).map((m) => m.text);
}

describe('background jobs (the import off the update path)', () => {
  it('R7 a job whose runner died is run again after its lease, told as restarted, and done once', async () => {
    const before = await Person.count();
    const id = await queueImport(300, 'chat-died', 700_000);
    // A runner claimed it and died: its lease runs out, nothing was written.
    expect((await sys.services.backgroundJobs.claimNext('dead-runner', 30_000))?.id).toBe(id);
    const { scheduler, job, shown } = runner();
    expect(await scheduler.runOnce(job)).toBe(true); // the lease is still running: nothing taken
    expect((await BackgroundJob.findByPk(id))!.status).toBe('running');
    sys.clock.advance(30_001);
    expect(await scheduler.runOnce(job)).toBe(true);
    const row = (await BackgroundJob.findByPk(id))!;
    expect(row).toMatchObject({ status: 'done', attempts: 2, input: null });
    expect(readOutcome(row.outcome)).toEqual({ result: 'imported', imported: 300 });
    expect(shown[0].text).toContain('服务曾中断');
    expect(shown.at(-1)!.text).toBe('已处理 300/300 行，已全部写入');
    expect(await told('chat-died')).toEqual([expect.stringContaining('导入成功：共 300 人')]);
    expect(await Person.count()).toBe(before + 300);
    // Run again: nothing left to do, nothing told twice.
    expect(await scheduler.runOnce(job)).toBe(true);
    expect(await told('chat-died')).toEqual([]);
  });

  it('R7 a job interrupted again and again is given up and its admin told; nothing is written', async () => {
    const before = await Person.count();
    const id = await queueImport(50, 'chat-cursed', 710_000);
    for (let i = 0; i < MAX_JOB_ATTEMPTS; i++) {
      expect((await sys.services.backgroundJobs.claimNext(`dead-${i}`, 1000))?.id).toBe(id);
      sys.clock.advance(1001);
    }
    const { scheduler, job } = runner();
    await scheduler.runOnce(job);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'failed', input: null });
    expect(await told('chat-cursed')).toEqual([expect.stringContaining('多次被服务重启打断，没有写入任何数据')]);
    expect(await Person.count()).toBe(before);
  });

  it('a job that fails with a bug is reported to its admin, once, and the runner goes on with the next', async () => {
    const broken = await queueImport(10, 'chat-bug', 720_000);
    await BackgroundJob.update({ input: null }, { where: { id: broken } }); // the worker finds no file: a bug
    const next = await queueImport(10, 'chat-next', 730_000);
    const { scheduler, job } = runner();
    await scheduler.runOnce(job);
    expect(await BackgroundJob.findByPk(broken)).toMatchObject({ status: 'failed' });
    expect(await told('chat-bug')).toEqual([expect.stringContaining('系统出了问题，没有写入任何数据')]);
    expect(await BackgroundJob.findByPk(next)).toMatchObject({ status: 'done' });
  });

  it('stopping the process gives a running job back to the queue (nothing written); the next runner does it', async () => {
    const before = await Person.count();
    const id = await queueImport(3000, 'chat-stop', 740_000);
    const { scheduler, job, shown } = runner();
    const run = scheduler.runOnce(job);
    await until(() => shown.length, { what: 'the first progress line (reading has begun)', intervalMs: 10, timeoutMs: 20_000 });
    await scheduler.stop();
    await run;
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await Person.count()).toBe(before);
    const again = runner();
    await again.scheduler.runOnce(again.job);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await Person.count()).toBe(before + 3000);
  });

  it('the same update queues one job (a redelivered update queues nothing new)', async () => {
    const input = {
      kind: 'roster-import' as const,
      actorPersonId: fixture.admin.person.id,
      channel: 'test',
      chatId: 'c',
      title: 'x.xlsx',
      params: {},
      dedupeKey: 'telegram:4242',
    };
    const first = await sys.services.backgroundJobs.enqueue(input);
    const again = await sys.services.backgroundJobs.enqueue(input);
    expect(again).toEqual({ id: first.id, queuedBefore: true });
    await BackgroundJob.destroy({ where: { id: first.id } });
  });
});
