import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/root';
import { renderNotice } from '../../flows/notices';
import { OutboxMessage } from '../../models';
import { parseNotice } from '../../server/services/messaging/notices';
import { buildTree, makeAdmin } from '../helpers/fixtures/admin-fixtures';
import { buildPerson } from '../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const HOUR = 3_600_000;
let tag = 0;

/** Every reminder queued of one kind, rendered as its recipient reads it now (null: dropped). */
async function queued(kind: string) {
  const rows = (await OutboxMessage.findAll({ order: [['id', 'ASC']] })).filter((r) => parseNotice(r.payload).kind === kind);
  return Promise.all(
    rows.map(async (r) => ({
      personId: r.personId,
      push: r.push,
      reply: await renderNotice(sys.services, parseNotice(r.payload), { channel: r.channel, chatId: r.chatId, personId: r.personId }),
    })),
  );
}

/** A branch with its admin and three members logged in on Telegram. */
async function world() {
  const tree = await buildTree(sys, `提${++tag}`);
  const admin = await makeAdmin(sys, tree.branchA.id, '提醒管理');
  const people = await Promise.all(['甲', '乙', '丙'].map((n) => buildPerson(sys, { name: `成员${n}${tag}`, branchId: tree.branchA.id })));
  for (const [i, p] of [admin.person, ...people.map((x) => x.person)].entries())
    await sys.services.bindings.bind('telegram', `${880000 + tag * 10 + i}`, `${880000 + tag * 10 + i}`, p.id);
  return { tree, admin, people };
}

describe('scheduled reminders (R21)', () => {
  it('R21 the day before: participants of what starts tomorrow (Beijing), not those who said 不参加, once however often it runs', async () => {
    const w = await world();
    // 18:00 in Beijing on 3 December; the activity is at 09:00 on the 4th (01:00 UTC).
    sys.clock.now = new Date('2026-12-03T10:00:00Z');
    const tomorrow = new Date('2026-12-04T01:00:00Z');
    const activity = await sys.services.activities.create(w.admin.person.id, {
      orgId: w.tree.branchA.id,
      kind: 'lesson',
      title: `明日团课${tag}`,
      startsAt: tomorrow,
      endsAt: new Date(tomorrow.getTime() + HOUR),
    });
    const later = await sys.services.activities.create(w.admin.person.id, {
      orgId: w.tree.branchA.id,
      kind: 'lesson',
      title: `后天团课${tag}`,
      startsAt: new Date(tomorrow.getTime() + 24 * HOUR),
      endsAt: new Date(tomorrow.getTime() + 25 * HOUR),
    });
    const [a, b, c] = w.people.map((p) => p.person.id);
    for (const id of [activity.id, later.id]) await sys.services.activityParticipants.add(w.admin.person.id, id, [a, b, c]);
    await sys.services.activityParticipants.respond(a, activity.id, true);
    await sys.services.activityParticipants.respond(b, activity.id, false);

    expect(await sys.services.reminders.activityEve()).toEqual({ subjects: 1, queued: 2 });
    expect(await sys.services.reminders.activityEve()).toEqual({ subjects: 0, queued: 0 });
    const sent = await queued('activity.eve');
    expect(sent.map((s) => s.personId).sort()).toEqual([a, c].sort());
    expect(sent.every((s) => s.push)).toBe(true);
    const toA = sent.find((s) => s.personId === a)!.reply!;
    expect(toA.text).toContain(`明日团课${tag}`);
    expect(toA.choices).toBeUndefined(); // registered already
    expect(sent.find((s) => s.personId === c)!.reply!.choices![0][0].label).toBe('报名');
    // C says 不参加 before it goes out: nothing is sent to them.
    await sys.services.activityParticipants.respond(c, activity.id, false);
    expect((await queued('activity.eve')).find((s) => s.personId === c)!.reply).toBeNull();
  });

  it('R21 when sign-in opens: participants not signed in yet, without the code, once', async () => {
    const w = await world();
    const start = new Date(sys.clock.now.getTime() + 20 * 60_000);
    const activity = await sys.services.activities.create(w.admin.person.id, {
      orgId: w.tree.branchA.id,
      kind: 'league_day',
      title: `签到提醒团日${tag}`,
      startsAt: start,
      endsAt: new Date(start.getTime() + HOUR),
    });
    const [a, b] = w.people.map((p) => p.person.id);
    await sys.services.activityParticipants.add(w.admin.person.id, activity.id, [a, b]);
    expect((await sys.services.reminders.signinOpened()).subjects).toBe(0); // not open yet
    sys.clock.now = new Date(start.getTime() - 14 * 60_000);
    await sys.services.signin.attempt(a, 'test:a', activity.signinCode);
    expect(await sys.services.reminders.signinOpened()).toEqual({ subjects: 1, queued: 1 });
    expect((await sys.services.reminders.signinOpened()).subjects).toBe(0);
    const [toB] = (await queued('activity.signin_open')).filter((s) => s.personId === b);
    expect(toB.reply!.text).toContain('已开始签到');
    expect(toB.reply!.text).not.toContain(activity.signinCode);
  });

  it('R20 R21 the monthly fee reminder reaches who owes, says what, and drops itself for one who has paid meanwhile', async () => {
    const w = await world();
    sys.clock.now = new Date('2026-12-05T02:00:00Z');
    const [a, b] = w.people.map((p) => p.person.id);
    for (const id of [a, b]) await sys.services.fees.profiles.set(w.admin.person.id, id, { category: 'student', fromMonth: '2026-01' });
    const run = await sys.services.reminders.feesOwed();
    expect(run.queued).toBeGreaterThanOrEqual(2);
    expect((await sys.services.reminders.feesOwed()).queued).toBe(0); // once a month
    const toA = (await queued('fee.reminder')).find((s) => s.personId === a)!;
    expect(toA.reply!.text).toContain('【团费提醒】');
    expect(toA.reply!.text).toMatch(/元/);
    // A pays the year before the message goes out: it is dropped, B's still goes.
    await sys.services.fees.payments.record(w.admin.person.id, { personId: a, months: { from: '2026-01', to: '2026-12' }, amountFen: 240 });
    const after = await queued('fee.reminder');
    expect(after.find((s) => s.personId === a)!.reply).toBeNull();
    expect(after.find((s) => s.personId === b)!.reply).not.toBeNull();
  });

  it('R17 R18 R21 the monthly note tells each branch admin its entry progress and what of 三会两制一课 is due', async () => {
    const w = await world();
    sys.clock.now = new Date('2026-12-01T01:00:00Z');
    await sys.services.reminders.adminMonthly();
    const note = (await queued('admin.monthly')).find((s) => s.personId === w.admin.person.id)!;
    expect(note.reply!.text).toContain(w.tree.branchA.fullName);
    expect(note.reply!.text).toContain('录入进度');
    expect(note.reply!.text).toContain('本月：支部委员会 0/1');
  });

  it('R21 `npm run job -- <name>` runs one job now on the configured database, and names the jobs when asked for one that does not exist', () => {
    const env = { ...process.env, DATABASE_URL: sys.databaseUrl, DATA_DIR: sys.dataDir, LOG_LEVEL: 'silent' };
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'server/job-cli.ts', 'admin-monthly-notes'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(ok.stdout).toContain('Ran admin-monthly-notes.');
    const wrong = spawnSync(process.execPath, ['--import', 'tsx', 'server/job-cli.ts', 'fee-reminder'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('fee-reminders');
  });
});
