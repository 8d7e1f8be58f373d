/**
 * A finished background job never takes the process down: a real server process (long
 * polling against the Bot API emulator) runs twenty imports in a row, and twenty entry-progress
 * exports, each on a worker thread of its own, while another user chats; it is alive at the
 * end, every job done once, the other user answered, and it stops cleanly.
 */
import { writeRosterXlsx } from '../../bench/roster-data';
import { BackgroundJob, Person } from '../../models';
import { readOutcome } from '../../server/services/platform/job-outcomes';
import { BotApiEmulator, type EmuUser } from '../helpers/telegram/bot-api-emulator';
import { buildPerson } from '../helpers/fixtures/factories';
import { importFixture } from '../helpers/fixtures/roster';
import { startServerProcess, type ServerProcess } from '../helpers/processes/server-process';
import { createTestSystem, TestSystem } from '../helpers/system';
import { sleep, until } from '../helpers/wait';
import { wideSubtree } from '../jobs/job-fixtures';

const TOKEN = '777000111:AAHtest-zhtj-token-0123456789';
const JOBS = 20;
const ROWS = 200;

let sys: TestSystem;
let emu: BotApiEmulator;
let env: Record<string, string>;
// A chat per job, all of one admin: each chat is paced at a message a second (Telegram's limit),
// and a job's progress edits wait for that pace, so one chat for all would only measure the pace.
const importers = Array.from({ length: JOBS }, (_, i) => ({ id: 7_710_000 + i, first_name: '钱管理' }));
const exporters = Array.from({ length: JOBS }, (_, i) => ({ id: 7_720_000 + i, first_name: '孙导出' }));
const chatter = { id: 7_700_003, first_name: '路人' };

beforeAll(async () => {
  sys = await createTestSystem();
  emu = await BotApiEmulator.start({ token: TOKEN });
  env = { DATABASE_URL: sys.databaseUrl, DATA_DIR: sys.dataDir, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, LOCAL_CHAT: 'off' };
  const member = await buildPerson(sys, { name: '路人甲', password: 'Member2024x' });
  await sys.services.bindings.bind('telegram', String(chatter.id), String(chatter.id), member.person.id);
});
afterAll(async () => {
  await emu.stop();
  await sys.close();
});

/** The server's last log lines: what a failed wait shows. */
const logTail = (server: ServerProcess) => () => `server log:\n${server.lines.slice(-20).join('\n')}`;

const delivered = (method: string, chatId: number, fragment: string) =>
  emu
    .callsOf(method)
    .filter((c) => Number(c.params.chat_id) === chatId && c.result !== undefined && String(c.params.text ?? c.params.caption).includes(fragment));

/** Another user sends /help and /me, one after another, until stopped; each must be answered. */
function chatMeanwhile() {
  const answered = () => delivered('sendMessage', chatter.id, '可用的命令').length + delivered('sendMessage', chatter.id, '【我的信息】').length;
  const before = answered();
  let asked = 0;
  let going = true;
  // As a person chats: the next message once the last is answered (a chat faster than Telegram's
  // pace of a message a second would only measure how its own answers queue up).
  const loop = (async () => {
    while (going) {
      emu.sendText(chatter, asked % 2 ? '/me' : '/help');
      asked++;
      const want = asked;
      // Unanswered after 30 s: chat on; stop() then fails saying how many went unanswered.
      await until(() => answered() - before >= want, { what: `an answer to message ${want}`, timeoutMs: 30_000 }).catch(() => undefined);
      await sleep(300); // a person's pause before the next message
    }
  })();
  return {
    async stop(server: ServerProcess) {
      going = false;
      await loop;
      await until(() => answered() - before >= asked, {
        what: `answers to all ${asked} of the other user's messages`,
        timeoutMs: 60_000,
        seen: logTail(server),
      });
      return { asked, answered: answered() - before };
    },
  };
}

/** The server is alive, said nothing alarming, and stops cleanly when asked. */
async function expectAliveThenStop(server: ServerProcess): Promise<void> {
  expect({ exitCode: server.child.exitCode, signal: server.child.signalCode }).toEqual({ exitCode: null, signal: null });
  await server.stop();
  expect(server.child.exitCode).toBe(0);
  expect(server.lines.filter((l) => /FATAL|napi|lease lost|did not end|still running|background job failed/.test(l))).toEqual([]);
}

async function jobsOf(personId: number, kind: string) {
  const rows = await BackgroundJob.findAll({ where: { actorPersonId: personId, kind }, attributes: ['status', 'attempts', 'outcome'] });
  return rows.map((j) => ({ ...j.toJSON(), outcome: readOutcome(j.outcome) }));
}

describe('worker threads in a real server process', () => {
  it(`R7 R17 ${JOBS} imports and ${JOBS} entry-progress exports in a row, each on a worker, while another user chats: each done once, the other answered, the process alive`, async () => {
    const fixture = await importFixture(sys, '己');
    // A subtree too large to be sent at once: its spreadsheet is made by a background job.
    const tree = await wideSubtree(sys, '己导出', 2001);
    for (const u of importers) await sys.services.bindings.bind('telegram', String(u.id), String(u.id), fixture.admin.person.id);
    for (const u of exporters) await sys.services.bindings.bind('telegram', String(u.id), String(u.id), tree.admin.person.id);
    const files = await Promise.all(
      Array.from({ length: JOBS }, (_, i) =>
        writeRosterXlsx({ rows: ROWS, branches: [fixture.branchA.fullName], idOffset: 1_100_000 + i * ROWS, inMemory: true }),
      ),
    );
    const before = await Person.count();
    const server = await startServerProcess(env);
    const sentTo = (users: EmuUser[], method: string, fragment: string) => users.filter((u) => delivered(method, u.id, fragment).length > 0).length;
    try {
      for (const u of exporters) emu.sendText(u, '/progress');
      await until(() => sentTo(exporters, 'sendMessage', '【录入进度】') === JOBS, { what: 'the progress views', timeoutMs: 60_000, seen: logTail(server) });
      const talk = chatMeanwhile();
      // In a row: each job is queued once the one before was taken.
      for (let i = 0; i < JOBS; i++) {
        emu.sendDocument(importers[i], { content: files[i]!, fileName: `名单${i + 1}.xlsx` });
        await until(() => delivered('sendMessage', importers[i].id, `已收到“名单${i + 1}.xlsx”`).length === 1, {
          what: `import ${i + 1} taken`,
          timeoutMs: 60_000,
          seen: logTail(server),
        });
        emu.pressButton(exporters[i] as EmuUser, `!progress:x:${tree.root.id}`);
        await until(() => delivered('sendMessage', exporters[i].id, `组织较多（共 ${tree.orgs} 个）`).length === 1, {
          what: `export ${i + 1} queued`,
          timeoutMs: 60_000,
          seen: logTail(server),
        });
      }
      await until(() => sentTo(importers, 'sendMessage', `导入成功：共 ${ROWS} 人`) === JOBS, {
        what: `${JOBS} imports done`,
        timeoutMs: 300_000,
        seen: logTail(server),
      });
      await until(() => sentTo(exporters, 'sendDocument', '已生成，请查收') === JOBS, {
        what: `${JOBS} exports sent`,
        timeoutMs: 300_000,
        seen: logTail(server),
      });
      const { asked, answered } = await talk.stop(server);
      expect(answered).toBe(asked);
      for (const u of importers) expect(delivered('sendMessage', u.id, '导入成功')).toHaveLength(1);
      for (const u of exporters) expect(delivered('sendDocument', u.id, '已生成，请查收')).toHaveLength(1);
    } finally {
      await expectAliveThenStop(server);
    }
    expect(await jobsOf(fixture.admin.person.id, 'roster-import')).toEqual(
      Array(JOBS).fill({ status: 'done', attempts: 1, outcome: { result: 'imported', imported: ROWS } }),
    );
    expect(await jobsOf(tree.admin.person.id, 'progress-export')).toEqual(
      Array(JOBS).fill({ status: 'done', attempts: 1, outcome: { result: 'exported', orgs: tree.orgs } }),
    );
    expect(await Person.count()).toBe(before + JOBS * ROWS);
  }, 600_000);

  it('R7 SIGTERM during an import asks its worker to stop and waits for it: the process exits cleanly, nothing written, the job back in the queue', async () => {
    const fixture = await importFixture(sys, '庚');
    const admin = { id: 7_700_004, first_name: '钱管理' };
    await sys.services.bindings.bind('telegram', String(admin.id), String(admin.id), fixture.admin.person.id);
    const rows = 8000;
    const file = (await writeRosterXlsx({ rows, branches: [fixture.branchA.fullName], idOffset: 1_200_000, inMemory: true }))!;
    const before = await Person.count();
    const server = await startServerProcess(env);
    emu.sendDocument(admin, { content: file, fileName: '大名单.xlsx' });
    await until(() => emu.messagesTo(admin.id).some((t) => t.includes(`/${rows} 行`)), {
      what: 'the import under way',
      timeoutMs: 60_000,
      seen: logTail(server),
    });
    await server.stop();
    expect(server.child.exitCode).toBe(0);
    expect(server.lines.filter((l) => /FATAL|napi|did not end|still running|background job failed/.test(l))).toEqual([]);
    expect(await jobsOf(fixture.admin.person.id, 'roster-import')).toEqual([{ status: 'queued', attempts: 0, outcome: null }]);
    expect(await Person.count()).toBe(before);
  }, 120_000);
});
