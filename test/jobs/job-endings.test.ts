/**
 * How a background job ends is data: the job's outcome and the typed notices its admin is told,
 * worded only where they are shown (the job list, the notice renderers at delivery).
 */
import { BackgroundJob, OutboxMessage } from '../../models';
import { backgroundJobsJob } from '../../server/jobs/background-jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import { parseNotice } from '../../server/services/messaging/notices';
import { readOutcome } from '../../server/services/platform/job-outcomes';
import { TestChat } from '../helpers/chat';
import { importFixture, queueImport as queueRosterImport } from '../helpers/fixtures/roster';
import { renderRow } from '../helpers/notices';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let fixture: Awaited<ReturnType<typeof importFixture>>;
beforeAll(async () => {
  sys = await createTestSystem();
  fixture = await importFixture(sys, '终');
});
afterAll(() => sys.close());

async function runJobs(): Promise<void> {
  const job = backgroundJobsJob({ test: { show: async (_chatId, messageId) => messageId ?? 'progress' } });
  await new Scheduler(sys, [job], 'Asia/Shanghai').runOnce(job);
}

const queuedFor = (chatId: string) => OutboxMessage.findAll({ where: { channel: 'test', chatId }, order: [['id', 'ASC']] });

async function jobList(): Promise<string> {
  const chat = new TestChat(sys);
  expect(await chat.login(fixture.admin.idNumber, fixture.admin.password)).toContain('登录成功');
  return chat.say('/jobs');
}

describe('a background job ends as data', () => {
  it("R7 an import's outcome is a typed notice with its counts, worded at delivery; the job list words it from the job's data", async () => {
    const id = await queueRosterImport(sys, fixture, 12, 'chat-typed', 800_000);
    await runJobs();
    const rows = await queuedFor('chat-typed');
    expect(rows.map((r) => parseNotice(r.payload))).toEqual([
      {
        kind: 'import.finished',
        jobId: id,
        fileName: '名单-chat-typed.xlsx',
        result: {
          ok: true,
          imported: 12,
          members: expect.any(Number),
          cadres: expect.any(Number),
          posts: expect.any(Number),
          branches: [{ fullName: fixture.branchA.fullName, count: 12 }],
          branchCount: 1,
        },
      },
    ]);
    expect(rows[0].payload).not.toContain('导入成功'); // no finished text is stored
    expect((await renderRow(rows[0]))!.text).toContain('导入成功：共 12 人');
    expect(readOutcome((await BackgroundJob.findByPk(id))!.outcome)).toEqual({ result: 'imported', imported: 12 });
    expect(await jobList()).toContain('名单-chat-typed.xlsx');
    expect(await jobList()).toContain('已完成：已导入 12 人');
  });

  it('R7 a list row written before outcomes were data is shown as it was; a failed export is worded as an export', async () => {
    await BackgroundJob.create({
      kind: 'roster-import',
      status: 'done',
      actorPersonId: fixture.admin.person.id,
      channel: 'test',
      chatId: 'chat-old',
      title: '旧名单.xlsx',
      params: '{}',
      input: null,
      dedupeKey: null,
      outcome: '已导入 7 人',
      finishedAt: sys.clock.now,
    });
    const { id } = await sys.services.backgroundJobs.enqueue({
      kind: 'progress-export',
      actorPersonId: fixture.admin.person.id,
      channel: 'test',
      chatId: 'chat-failed',
      title: '录入进度表：终',
      params: { orgId: fixture.school.id },
    });
    const claimed = (await sys.services.backgroundJobs.claimNext('runner-f', 30_000))!;
    expect(claimed.id).toBe(id);
    expect(
      await sys.services.backgroundJobs.end({ ...claimed, owner: 'runner-f' }, 'failed', {
        outcome: { result: 'failed', interrupted: true },
        notices: [{ kind: 'progress.export_failed', jobId: id, interrupted: true }],
      }),
    ).toBe(true);
    const list = await jobList();
    expect(list).toContain('旧名单.xlsx');
    expect(list).toContain('已完成：已导入 7 人');
    expect(list).toContain('未完成：多次被服务重启打断，未生成');
    expect((await queuedFor('chat-failed')).map((r) => parseNotice(r.payload))).toEqual([{ kind: 'progress.export_failed', jobId: id, interrupted: true }]);
  });

  it('ending a job marks it and queues its notices together; a job another runner has now is left as it is, nothing queued', async () => {
    const id = await queueRosterImport(sys, fixture, 3, 'chat-end', 810_000);
    const claimed = (await sys.services.backgroundJobs.claimNext('runner-a', 30_000))!;
    expect(claimed.id).toBe(id);
    const ending = {
      outcome: { result: 'unreadable' as const },
      notices: [
        { kind: 'import.finished' as const, jobId: id, fileName: 'x.xlsx', result: { ok: false as const, reason: 'format' as const, message: '文件无法读取' } },
      ],
    };
    expect(await sys.services.backgroundJobs.end({ ...claimed, owner: 'runner-b' }, 'done', ending)).toBe(false);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'running', owner: 'runner-a', outcome: null });
    expect(await queuedFor('chat-end')).toEqual([]);
    // In the caller's transaction: rolled back, neither the end nor the notice stays.
    await sys.services.deps.db
      .transaction(async (t) => {
        expect(await sys.services.backgroundJobs.end({ ...claimed, owner: 'runner-a' }, 'done', ending, t)).toBe(true);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'running', outcome: null });
    expect(await queuedFor('chat-end')).toEqual([]);
    expect(await sys.services.backgroundJobs.end({ ...claimed, owner: 'runner-a' }, 'done', ending)).toBe(true);
    expect(await BackgroundJob.findByPk(id)).toMatchObject({ status: 'done', input: null });
    const [told] = await queuedFor('chat-end');
    expect((await renderRow(told))!.text).toContain('文件无法读取\n改好后可直接重新发送文件');
  });
});
