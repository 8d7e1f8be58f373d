import type { Job } from './job';

/**
 * Scheduled reminders (R21), Beijing time; each schedule can be set with SCHEDULE_<NAME>
 * (README). What they queue is pushed: held in the quiet hours, told once (Reminders).
 */
export const REMINDER_JOBS: Job[] = [
  {
    name: 'activity-eve-reminders',
    // The evening before: 18:00 for whatever starts tomorrow.
    schedule: '0 18 * * *',
    async run(system) {
      const run = await system.services.reminders.activityEve();
      if (run.subjects) system.logger.info(run, 'activity reminders queued (the day before)');
    },
  },
  {
    name: 'signin-open-reminders',
    schedule: '0 * * * * *',
    async run(system) {
      const run = await system.services.reminders.signinOpened();
      if (run.subjects) system.logger.info(run, 'sign-in opening reminders queued');
    },
  },
  {
    name: 'fee-reminders',
    // 10:00 on the 5th: the month's fees are due in the month.
    schedule: '0 10 5 * *',
    leaseMs: 5 * 60_000,
    async run(system) {
      system.logger.info(await system.services.reminders.feesOwed(), 'fee reminders queued');
    },
  },
  {
    name: 'admin-monthly-notes',
    schedule: '0 9 1 * *',
    leaseMs: 5 * 60_000,
    async run(system) {
      system.logger.info(await system.services.reminders.adminMonthly(), 'monthly notes to branch admins queued');
    },
  },
];
