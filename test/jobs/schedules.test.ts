import { ConfigError, loadConfig } from '../../server/config';
import type { Job } from '../../server/jobs/job';
import { REMINDER_JOBS } from '../../server/jobs/reminders';
import { Scheduler, withSchedules } from '../../server/jobs/scheduler';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());
afterEach(() => jest.useRealTimers());

const job = (name: string, schedule: string, runs: Date[]): Job => ({ name, schedule, run: async (system) => void runs.push(system.services.deps.now()) });

describe('schedules (node-cron, Asia/Shanghai)', () => {
  it("R21 the fee reminders' schedule fires at 10:00 on the 5th in Beijing, once, with a fake clock (not by waiting)", async () => {
    const fees = REMINDER_JOBS.find((j) => j.name === 'fee-reminders')!;
    const runs: Date[] = [];
    // 09:59:50 on 5 December in Beijing is 01:59:50 UTC.
    jest.useFakeTimers({ now: new Date('2026-12-05T01:59:50Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const scheduler = new Scheduler(sys, [job('fee-reminders-schedule', fees.schedule, runs)], 'Asia/Shanghai');
    scheduler.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(10_000);
    // The run takes its lease in the database: real I/O, which fake time does not move.
    for (let i = 0; i < 100_000 && !runs.length; i++) await new Promise((r) => setImmediate(r));
    expect(runs).toHaveLength(1);
    expect(runs[0].toISOString().slice(0, 16)).toBe('2026-12-05T02:00');
    // The rest of the day passes: nothing more until next month.
    await jest.advanceTimersByTimeAsync(3 * 3_600_000);
    expect(runs).toHaveLength(1);
    jest.useRealTimers();
    await scheduler.stop();
  });

  it("SCHEDULE_<JOB> replaces a job's schedule; an unknown job or a wrong expression is refused with what to write", () => {
    const config = loadConfig({ SCHEDULE_FEE_REMINDERS: '30 9 1 * *', SCHEDULE_ACTIVITY_EVE_REMINDERS: ' 0 19 * * * ' });
    expect(config.schedules).toEqual({ 'fee-reminders': '30 9 1 * *', 'activity-eve-reminders': '0 19 * * *' });
    const jobs = [job('fee-reminders', '0 10 5 * *', []), job('activity-eve-reminders', '0 18 * * *', []), job('other', '* * * * *', [])];
    expect(withSchedules(jobs, config.schedules).map((j) => j.schedule)).toEqual(['30 9 1 * *', '0 19 * * *', '* * * * *']);
    expect(() => withSchedules(jobs, { 'fee-reminder': '0 1 * * *' })).toThrow(/SCHEDULE_FEE_REMINDER: there is no job fee-reminder/);
    expect(() => withSchedules(jobs, { 'fee-reminders': 'every day' })).toThrow(ConfigError);
  });
});
