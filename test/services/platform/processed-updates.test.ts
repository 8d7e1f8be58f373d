/**
 * Redeliveries are recognised by what an update carries, not by its update id: ids repeat
 * (a restarted local Bot API server, Telegram after a week without updates). A redelivery is
 * skipped and logged; a new message under an old id is handled. Done marks are written at once.
 */
import type { Inbound } from '../../../flows/engine/runner';
import type { FlowEvent, Reply } from '../../../flows/engine/types';
import type { System } from '../../../server/system';
import { capturingLogger } from '../../helpers/logs';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let lines: string[] = [];

beforeAll(async () => {
  const captured = capturingLogger('info');
  lines = captured.lines;
  sys = await createTestSystem({ logger: captured.logger });
});
afterAll(() => sys.close());

const help: FlowEvent = { type: 'command', name: 'help', args: '' };

/** One Telegram-like update: `key` as the Telegram channel makes it, `updateId` the bare number. */
function update(chatId: number, key: string, updateId: number, event: FlowEvent = help): Inbound {
  return {
    actor: { channel: 'telegram', userId: String(chatId), chatId: String(chatId), isPrivate: true },
    event,
    updateKey: key,
    updateId,
    io: {
      send: async () => undefined,
      progress: async () => undefined,
      deleteUserMessage: async () => undefined,
      setMenu: async () => undefined,
      startLink: async () => null,
    },
  };
}

const handle = (system: System, inbound: Inbound): Promise<Reply[]> => system.runner.handle(inbound);
const skips = () => lines.filter((l) => l.includes('redelivered update skipped')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('redeliveries known by content', () => {
  it('200 /help from a new user under update ids already handled are all answered; the same message again is skipped and logged', async () => {
    const seen = 8_100_001;
    for (let id = 1; id <= 200; id++) expect(await handle(sys, update(seen, `msg:${seen}:${id}`, id))).not.toHaveLength(0);
    const fresh = 8_100_002;
    const answered = await Promise.all(Array.from({ length: 200 }, (_, i) => handle(sys, update(fresh, `msg:${fresh}:${i + 1}`, i + 1))));
    expect(answered.filter((r) => r.length > 0)).toHaveLength(200);
    expect(skips()).toHaveLength(0);

    // A real redelivery (same chat and message), under its own id or another one: skipped, and said so.
    expect(await handle(sys, update(fresh, `msg:${fresh}:7`, 7))).toEqual([]);
    expect(await handle(sys, update(fresh, `msg:${fresh}:8`, 99_999))).toEqual([]);
    expect(skips()).toEqual([
      expect.objectContaining({ level: 30, channel: 'telegram', update: `msg:${fresh}:7` }),
      expect.objectContaining({ level: 30, channel: 'telegram', update: `msg:${fresh}:8` }),
    ]);
  });

  it('after a restart (nothing in memory) the database recognises a redelivery by its key, a button press by its query id', async () => {
    const chat = 8_100_003;
    expect(await handle(sys, update(chat, `msg:${chat}:1`, 500))).not.toHaveLength(0);
    expect(await handle(sys, update(chat, 'cb:4400000000000000001', 501, { type: 'choice', value: '/help' }))).not.toHaveLength(0);
    await sys.services.updates.flush();
    const again = await sys.reopen();
    const before = skips().length;
    expect(await handle(again, update(chat, `msg:${chat}:1`, 500))).toEqual([]);
    expect(await handle(again, update(chat, 'cb:4400000000000000001', 777, { type: 'choice', value: '/help' }))).toEqual([]);
    expect(
      skips()
        .slice(before)
        .map((l) => l.update),
    ).toEqual([`msg:${chat}:1`, 'cb:4400000000000000001']);
    // The same update id with another message is a new message.
    expect(await handle(again, update(chat, `msg:${chat}:2`, 500))).not.toHaveLength(0);
  });

  it('a conversation moved by an update is not mistaken as moved by a new message under the same update id', async () => {
    const chat = 8_100_004;
    const login = await handle(sys, update(chat, `msg:${chat}:1`, 42, { type: 'command', name: 'login', args: '' }));
    expect(login.map((r) => r.text).join()).toContain('身份证号码');
    // The mark of the /login update is not written yet in the worst case: the conversation's own record tells.
    await sys.services.updates.flush();
    await sys.db.fast.run('DELETE FROM processed_updates WHERE update_key = ?', [`msg:${chat}:1`]);
    const fresh = await sys.reopen();
    expect(await handle(fresh, update(chat, `msg:${chat}:1`, 42, { type: 'command', name: 'login', args: '' }))).toEqual([]);
    const next = await handle(fresh, update(chat, `msg:${chat}:2`, 42, { type: 'text', text: '不是身份证号' }));
    expect(next).not.toHaveLength(0);
  });
});

describe('done marks', () => {
  it('are written right after the answer, not after a delay, and answers that finish together share a write', async () => {
    const run = jest.spyOn(sys.db.fast, 'run');
    try {
      const chat = 8_100_010;
      await handle(sys, update(chat, `msg:${chat}:1`, 1));
      // Issued by the time the update's handling ends (no timer in between).
      const marks = () => run.mock.calls.filter(([sql]) => sql.includes('INSERT INTO processed_updates'));
      expect(marks()).toHaveLength(1);
      await sys.services.updates.flush();
      const [row] = await sys.db.fast.all('SELECT channel FROM processed_updates WHERE update_key = ?', [`msg:${chat}:1`]);
      expect(row).toEqual({ channel: 'telegram' });

      run.mockClear();
      const chats = Array.from({ length: 300 }, (_, i) => 8_200_000 + i);
      await Promise.all(chats.map((c) => handle(sys, update(c, `msg:${c}:1`, 1))));
      await sys.services.updates.flush();
      const [{ n }] = await sys.db.fast.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM processed_updates WHERE update_key LIKE 'msg:82%'");
      expect(Number(n)).toBe(300);
      expect(marks().length).toBeLessThan(300);
    } finally {
      run.mockRestore();
    }
  });
});
