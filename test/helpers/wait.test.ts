import { until } from './wait';

describe('until', () => {
  it('resolves with the first truthy result, as soon as it comes', async () => {
    let n = 0;
    await expect(until(() => (++n >= 3 ? `after ${n}` : null), { what: 'three checks', intervalMs: 1 })).resolves.toBe('after 3');
  });

  it('fails after its deadline, saying what it waited for and what it last saw', async () => {
    let n = 0;
    await expect(until(() => ++n > 1000, { what: 'a thousand checks', timeoutMs: 30, intervalMs: 5, seen: () => `${n} checks` })).rejects.toThrow(
      /timed out after 30 ms waiting for a thousand checks; last saw: \d+ checks/,
    );
  });

  it('counts a check that throws as not yet, and shows the last error when the time is up', async () => {
    let n = 0;
    await expect(
      until(
        () => {
          if (++n < 3) throw new Error(`not yet ${n}`);
          return n;
        },
        { what: 'no error', intervalMs: 1 },
      ),
    ).resolves.toBe(3);
    await expect(
      until(
        () => {
          throw new Error('still broken');
        },
        { what: 'a repair', timeoutMs: 20 },
      ),
    ).rejects.toThrow(/last saw: Error: still broken/);
  });
});
