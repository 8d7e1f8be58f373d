import { dataCheckString, initDataHash, verifyInitData } from '../../../server/http/telegram-init-data';
import { OTHER_BOT_TOKEN, telegramInitData, TEST_BOT_TOKEN } from './helpers';

const now = new Date('2026-12-10T08:00:00Z');
const opts = { maxAgeMs: 86_400_000, now };
const user = { id: 279058397, first_name: 'Vladislav', last_name: 'Kibenko', username: 'vdkfrost', language_code: 'ru', is_premium: true };

describe('verifyInitData (Telegram Mini App initData)', () => {
  it('accepts initData built as Telegram builds it, and reads the user and auth_date', () => {
    const initData = telegramInitData(TEST_BOT_TOKEN, {
      user,
      authDate: new Date(now.getTime() - 1000),
      extra: { signature: 'c2lnbmF0dXJl', chat_type: 'private' },
    });
    const checked = verifyInitData(initData, TEST_BOT_TOKEN, opts);
    expect(checked).toEqual({ ok: true, user, authDate: new Date(Math.floor((now.getTime() - 1000) / 1000) * 1000) });
  });

  it('the data-check string is every field but hash, sorted by key, as key=value lines', () => {
    const params = new URLSearchParams({ user: '{"id":1}', auth_date: '100', hash: 'x', query_id: 'q', 'a-b': '1' });
    expect(dataCheckString(params)).toBe('a-b=1\nauth_date=100\nquery_id=q\nuser={"id":1}');
    expect(initDataHash('auth_date=100', TEST_BOT_TOKEN)).toMatch(/^[0-9a-f]{64}$/);
    expect(initDataHash('auth_date=100', TEST_BOT_TOKEN)).not.toBe(initDataHash('auth_date=100', OTHER_BOT_TOKEN));
  });

  it.each([
    ["another bot's token", telegramInitData(OTHER_BOT_TOKEN, { user, authDate: now }), 'bad-hash'],
    ['a stale auth_date', telegramInitData(TEST_BOT_TOKEN, { user, authDate: new Date(now.getTime() - 86_400_000 - 1000) }), 'stale'],
    ['no user', telegramInitData(TEST_BOT_TOKEN, { user: { first_name: 'x' }, authDate: now }), 'no-user'],
    ['not a query string at all', 'hello', 'malformed'],
    ['a hash that is not hex', 'auth_date=1&hash=zz', 'malformed'],
  ])('refuses %s', (_name, initData, reason) => {
    expect(verifyInitData(initData, TEST_BOT_TOKEN, opts)).toEqual({ ok: false, reason });
  });
});
