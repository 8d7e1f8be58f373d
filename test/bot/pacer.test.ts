/**
 * R21 the shared rate: replies to people chatting go before bulk sends (the outbox), a 429's
 * retry_after pauses bulk while replies go on, and a bulk send that gets no slot gives up (to
 * be retried) instead of holding its claim. Fake timers: no wall clock.
 */
import { Pacer } from '../../bot/pacer';

const PACE = { perChatBurst: 100, perChatPerSecond: 100, overallBurst: 1, overallPerSecond: 10 };

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Lets granted slots' continuations run. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('Pacer (one overall rate, replies first)', () => {
  it('R21 replies waiting get the next slots before bulk sends queued earlier', async () => {
    const pacer = new Pacer(PACE);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) void pacer.bulkSlot(`b${i}`, 60_000).then((ok) => order.push(`bulk${i}:${ok}`));
    await settle();
    for (let i = 0; i < 2; i++) void pacer.slot(`r${i}`).then(() => order.push(`reply${i}`));
    await settle();
    expect(order).toEqual(['bulk0:true']); // the one token of the burst, taken before any reply came
    expect(pacer.queued()).toEqual({ reply: 2, bulk: 3 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(order).toEqual(['bulk0:true', 'reply0', 'reply1', 'bulk1:true', 'bulk2:true', 'bulk3:true']);
  });

  it('R21 a pause (a 429 retry_after) holds bulk sends but not replies', async () => {
    const pacer = new Pacer({ ...PACE, overallBurst: 10 });
    pacer.pauseBulk(2000);
    const order: string[] = [];
    void pacer.bulkSlot('b', 60_000).then(() => order.push('bulk'));
    void pacer.slot('r').then(() => order.push('reply'));
    await jest.advanceTimersByTimeAsync(1999);
    expect(order).toEqual(['reply']);
    expect(pacer.bulkPausedFor()).toBeGreaterThan(0);
    await jest.advanceTimersByTimeAsync(2);
    expect(order).toEqual(['reply', 'bulk']);
  });

  it('R21 a bulk send that gets no slot in time gives up; replies keep the rate', async () => {
    const pacer = new Pacer(PACE);
    await pacer.slot('r0'); // the burst's token
    const replies = Array.from({ length: 20 }, (_, i) => pacer.slot(`r${i + 1}`));
    const bulk = pacer.bulkSlot('b', 500);
    await jest.advanceTimersByTimeAsync(600);
    await expect(bulk).resolves.toBe(false);
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all(replies);
    expect(pacer.queued()).toEqual({ reply: 0, bulk: 0 });
  });

  it('keeps to the overall rate: 50 bulk sends at 10 a second take about 5 seconds', async () => {
    const pacer = new Pacer(PACE);
    let granted = 0;
    for (let i = 0; i < 50; i++) void pacer.bulkSlot(`c${i}`, 60_000).then(() => granted++);
    await jest.advanceTimersByTimeAsync(2500);
    expect(granted).toBeGreaterThanOrEqual(25);
    expect(granted).toBeLessThanOrEqual(27);
    await jest.advanceTimersByTimeAsync(2600);
    expect(granted).toBe(50);
  });
});
