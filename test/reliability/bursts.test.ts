/**
 * Concurrency bursts on the limits: many guesses at the same moment check no more passwords
 * or codes than the rules allow, whichever chats send them; the owner still gets in; and
 * password hashing never starves the database of threads.
 */
import { LOGIN_ACCOUNT_RULE, LOGIN_SOURCE_RULE } from '../../server/services/platform/rate-limits';
import { ADMIN_CODE_ORG_RULE, ADMIN_CODE_SOURCE_RULE } from '../../server/services/organisations/admin-codes';
import { MAX_CONCURRENT_HASHES, PasswordHasher } from '../../server/security/passwords';
import { buildOrg, buildPerson, makeIdNumber } from '../helpers/fixtures/factories';
import { newAdminInput } from '../helpers/fixtures/admin-fixtures';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const BURST = 60;

/** Counts how the attempts ended, by error code ('OK' for a success). */
async function outcomes(attempts: Array<Promise<unknown>>): Promise<Record<string, number>> {
  const settled = await Promise.allSettled(attempts);
  const counts: Record<string, number> = {};
  for (const s of settled) {
    const key = s.status === 'fulfilled' ? 'OK' : ((s.reason as { code?: string }).code ?? String(s.reason));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('bursts against the limits', () => {
  it(`R2 ${BURST} guesses at once from ${BURST} chats check ${LOGIN_ACCOUNT_RULE.freeAttempts} passwords; the right one late in the burst is refused; the owner's own chat still gets in`, async () => {
    const { idNumber } = await buildPerson(sys, { password: 'Owner2024x' });
    expect((await sys.services.accounts.login(idNumber, 'Owner2024x', 'test:owner-phone')).id).toBeGreaterThan(0);
    const checked = jest.spyOn(sys.services.accounts, 'checkPassword');
    const attempts = Array.from({ length: BURST }, (_, i) =>
      sys.services.accounts.login(idNumber, i === BURST - 1 ? 'Owner2024x' : `guess-${i}`, `test:attacker-${i}`),
    );
    const counts = await outcomes(attempts);
    expect(checked).toHaveBeenCalledTimes(LOGIN_ACCOUNT_RULE.freeAttempts);
    checked.mockRestore();
    expect(counts).toEqual({ LOGIN_FAILED: LOGIN_ACCOUNT_RULE.freeAttempts, LOGIN_LIMITED: BURST - LOGIN_ACCOUNT_RULE.freeAttempts });
    // The owner, from the chat they logged in from before, is not held by the account's limit.
    expect((await sys.services.accounts.login(idNumber, 'Owner2024x', 'test:owner-phone')).id).toBeGreaterThan(0);
  });

  it(`R2 ${BURST} guesses at once from one chat check ${LOGIN_SOURCE_RULE.freeAttempts}, across accounts`, async () => {
    const people = await Promise.all(Array.from({ length: 3 }, () => buildPerson(sys, { password: 'Right2024x' })));
    const counts = await outcomes(Array.from({ length: BURST }, (_, i) => sys.services.accounts.login(people[i % 3].idNumber, `guess-${i}`, 'test:one-chat')));
    expect(counts).toEqual({ LOGIN_FAILED: LOGIN_SOURCE_RULE.freeAttempts, LOGIN_LIMITED: BURST - LOGIN_SOURCE_RULE.freeAttempts });
  });

  it(`R6 ${BURST} registration codes at once from ${BURST} chats compare ${ADMIN_CODE_ORG_RULE.freeAttempts}; the right code late in the burst is refused`, async () => {
    const org = await buildOrg(sys);
    const register = (code: string, clientKey: string) =>
      sys.services.adminRegistration.registerAdmin(newAdminInput(org, sys.clock.now, { code, clientKey, idNumber: makeIdNumber('19950101') }));
    const counts = await outcomes(
      Array.from({ length: BURST }, (_, i) => register(i === BURST - 1 ? org.adminCode : `Wrong${String(i).padStart(3, '0')}`, `test:code-${i}`)),
    );
    expect(counts).toEqual({ ADMIN_CODE_WRONG: ADMIN_CODE_ORG_RULE.freeAttempts, ADMIN_CODE_LIMITED: BURST - ADMIN_CODE_ORG_RULE.freeAttempts });
  });

  it(`R6 ${BURST} codes at once from one chat compare ${ADMIN_CODE_SOURCE_RULE.freeAttempts}`, async () => {
    const orgs = await Promise.all(Array.from({ length: 10 }, () => buildOrg(sys)));
    const counts = await outcomes(
      Array.from({ length: BURST }, (_, i) =>
        sys.services.adminRegistration.registerAdmin(newAdminInput(orgs[i % 10], sys.clock.now, { code: 'Wrong123', clientKey: 'test:one-guesser' })),
      ),
    );
    expect(counts).toEqual({ ADMIN_CODE_WRONG: ADMIN_CODE_SOURCE_RULE.freeAttempts, ADMIN_CODE_LIMITED: BURST - ADMIN_CODE_SOURCE_RULE.freeAttempts });
  });

  it(`R2 20 hashes at once run at most ${MAX_CONCURRENT_HASHES} at a time, and a database query is answered before they are done`, async () => {
    // A real cost (2^15), so each hash holds a pool thread for a while.
    const hasher = new PasswordHasher(15);
    let running = 0;
    let most = 0;
    const places = (hasher as unknown as { places: { run<T>(fn: () => Promise<T>): Promise<T> } }).places;
    const run = places.run.bind(places);
    places.run = (fn) =>
      run(async () => {
        most = Math.max(most, ++running);
        try {
          return await fn();
        } finally {
          running--;
        }
      });
    let hashesDone = 0;
    const hashes = Array.from({ length: 20 }, () => hasher.hash('Password2024x').then(() => void hashesDone++));
    await new Promise((r) => setImmediate(r));
    const answered = await sys.db.fast.all('SELECT COUNT(*) AS n FROM people');
    expect(answered).toHaveLength(1);
    // Without the bound the query waits in libuv's queue behind the hashes (16 or more done by then).
    expect(hashesDone).toBeLessThanOrEqual(MAX_CONCURRENT_HASHES);
    await Promise.all(hashes);
    expect(most).toBe(MAX_CONCURRENT_HASHES);
  });
});
