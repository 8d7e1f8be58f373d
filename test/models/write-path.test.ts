/**
 * The write path cannot wedge: nothing but the database is awaited inside a write transaction
 * (anything else is refused at once), every wait for a turn has a deadline, a transaction that
 * runs too long is rolled back and logged, and on SQLite every write of the process (model
 * writes with no transaction and plain SQL included) takes its turn in one queue instead of
 * sleeping on SQLite's lock on a pool thread.
 */
import { RateLimit } from '../../models';
import { DatabaseBusyError, WriteLock } from '../../models/write-lock';
import { WaitInTransactionError, detached, insideWriteTransaction } from '../../models/write-scope';
import { PasswordHasher } from '../../server/security/passwords';
import { buildPerson } from '../helpers/fixtures/factories';
import { createTestSystem, type TestSystem } from '../helpers/system';
import { sleep, until } from '../helpers/wait';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const onSqlite = (process.env.TEST_DATABASE_URL ?? '').startsWith('postgres') ? describe.skip : describe;

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('inside a write transaction only the database is awaited', () => {
  it('another write transaction, a plain write, a loose model write, a password hash and a chat lock are refused at once', async () => {
    const hasher = new PasswordHasher(10);
    const refused: string[] = [];
    await sys.db.transaction(async (t) => {
      expect(insideWriteTransaction()).toBe(true);
      const tries: Array<[string, () => Promise<unknown>]> = [
        ['transaction', () => sys.db.transaction(async () => 1)],
        ['plain write', () => sys.db.fast.run('DELETE FROM rate_limits WHERE key = ?', ['none'])],
        ['model write', () => RateLimit.destroy({ where: { key: 'none' } })],
        ['hash', () => hasher.hash('Password2024x')],
        ['chat lock', () => sys.services.chatLocks.run('telegram:1', async () => 1)],
      ];
      for (const [name, attempt] of tries) {
        await expect(attempt()).rejects.toBeInstanceOf(WaitInTransactionError);
        refused.push(name);
      }
      // Reads, and writes given the transaction, go on as before.
      await RateLimit.destroy({ where: { key: 'none' }, transaction: t });
      expect(await sys.db.fast.all('SELECT 1 AS one')).toHaveLength(1);
    });
    expect(refused).toHaveLength(5);
    // Once it is over, the same calls are fine, also from work it started and did not await.
    expect(insideWriteTransaction()).toBe(false);
    await expect(sys.db.transaction(async () => 1)).resolves.toBe(1);
  });

  it('work started inside a transaction but run after it (detached, or once it has ended) waits its turn instead of failing', async () => {
    let later: Promise<number> | undefined;
    let detachedRun: Promise<number> | undefined;
    await sys.db.transaction(async () => {
      detachedRun = detached(() => sys.db.transaction(async () => 2));
      later = sleep(20).then(() => sys.db.transaction(async () => 3)); // runs once the transaction has ended: the case under test
    });
    await expect(detachedRun).resolves.toBe(2);
    await expect(later).resolves.toBe(3);
  });

  it('a transaction that runs past its deadline is rolled back and logged, and writes go on', async () => {
    const { person } = await buildPerson(sys, { name: '原名' });
    const errors: string[] = [];
    const log = sys.logger.error.bind(sys.logger);
    const spy = jest.spyOn(sys.logger, 'error').mockImplementation(((obj: object, msg?: string) => {
      errors.push(String(msg));
      return log(obj, msg);
    }) as typeof sys.logger.error);
    const stuck = gate();
    try {
      const late = sys.db.transaction(
        async (t) => {
          await person.update({ name: '改名' }, { transaction: t });
          await stuck.opened; // something that never comes (a bug): held past the deadline
        },
        undefined,
        { deadlineMs: 200 },
      );
      await expect(late).rejects.toThrow(/rolled back/);
      expect(errors).toContain('write transaction ran past its deadline; rolled back');
      await person.reload();
      expect(person.name).toBe('原名');
      // The lock was let go: the next write goes through at once.
      await expect(sys.db.transaction(async (t) => person.update({ name: '新名' }, { transaction: t }))).resolves.toBeDefined();
    } finally {
      stuck.open();
      spy.mockRestore();
    }
  });
});

describe('waits have deadlines', () => {
  it('a writer not served within its wait gives up with DatabaseBusyError and leaves the queue; the others are served in order', async () => {
    const lock = new WriteLock();
    const holder = gate();
    const order: number[] = [];
    const held = lock.run(() => holder.opened, 1000);
    const first = lock.run(async () => void order.push(1), 5000);
    const impatient = lock.run(async () => void order.push(99), 50);
    const second = lock.run(async () => void order.push(2), 5000);
    await expect(impatient).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(lock.queued).toBe(2);
    holder.open();
    await Promise.all([held, first, second]);
    expect(order).toEqual([1, 2]);
    expect(lock.queued).toBe(0);
  });

  it('a password hash waits for a place at most its deadline, then says busy', async () => {
    // One place, a wait of 1 ms: the second of two hashes at once cannot get in.
    const hasher = new PasswordHasher(14, 1);
    (hasher as unknown as { places: { waitMs: number } }).places.waitMs = 1;
    const both = await Promise.allSettled([hasher.hash('Password2024x'), hasher.hash('Password2024y')]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toMatchObject({ code: 'BUSY', message: expect.stringContaining('系统繁忙') });
  });
});

onSqlite('one queue for every write of the process (SQLite)', () => {
  it('while a transaction holds the turn, plain and loose model writes queue in the process (no pool thread sleeps on the lock) and reads are answered', async () => {
    const holder = gate();
    let held = false;
    const holding = sys.db.transaction(async (t) => {
      await RateLimit.bulkCreate([{ key: 'held', failures: 0, windowStart: new Date(), blockedUntil: null }], { transaction: t, ignoreDuplicates: true });
      held = true;
      await holder.opened;
    });
    await until(() => held, { what: 'the holder inside its transaction' });
    // Far more writers than libuv has threads: before, each slept on SQLite's lock on one of them.
    const writers = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? sys.db.fast.run('INSERT INTO rate_limits (key, failures, window_start) VALUES (?, 0, ?)', [`plain-${i}`, sys.db.fast.timestamp(new Date())])
        : RateLimit.create({ key: `model-${i}`, failures: 0, windowStart: new Date(), blockedUntil: null }),
    );
    await until(() => sys.db.writesQueued === 40, { what: '40 writes queued', seen: () => `${sys.db.writesQueued} queued` });
    expect(await sys.db.fast.all('SELECT COUNT(*) AS n FROM people')).toHaveLength(1);
    expect(await RateLimit.count()).toBeGreaterThanOrEqual(0);
    holder.open();
    await holding;
    await Promise.all(writers);
    expect(await RateLimit.count({ where: { key: Array.from({ length: 40 }, (_, i) => (i % 2 ? `plain-${i}` : `model-${i}`)) } })).toBe(40);
  });
});
