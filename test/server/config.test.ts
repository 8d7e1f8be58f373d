import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('has working defaults: port 3000, SQLite under data/, Telegram off, Asia/Shanghai', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toMatch(/^sqlite:.*data\/zhtj\.sqlite$/);
    expect(c.botToken).toBeUndefined();
    expect(c.telegramApiRoot).toBe('https://api.telegram.org');
    expect(c.timezone).toBe('Asia/Shanghai');
  });

  it('accepts PostgreSQL, a token, a local Bot API root and webhook settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/zhtj',
      BOT_TOKEN: '123456:ABCdefGhIJKlmnoPQRstuVWxyz012345',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      WEBHOOK_URL: 'https://example.org/telegram/webhook',
      WEBHOOK_SECRET: 'abcdefghijklmnop1234',
    });
    expect(c.databaseUrl).toBe('postgres://u@127.0.0.1:5432/zhtj');
    expect(c.telegramApiRoot).toBe('http://127.0.0.1:8081');
    expect(c.webhookSecret).toBe('abcdefghijklmnop1234');
  });

  it('names every wrong value with what to do', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', BOT_TOKEN: 'nope', WEBHOOK_URL: 'https://x.org/hook', TELEGRAM_API_ROOT: 'not a url' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of ['PORT', 'DATABASE_URL', 'BOT_TOKEN', 'TELEGRAM_API_ROOT', 'WEBHOOK_SECRET']) expect(message).toContain(name);
  });

  it('R22 WEBAPP_URL: an https:// address of the web app, http:// only on this machine; unset by default', () => {
    expect(loadConfig({}).webAppUrl).toBeUndefined();
    expect(loadConfig({ WEBAPP_URL: ' https://example.org/app/ ' }).webAppUrl).toBe('https://example.org/app/');
    for (const local of ['http://localhost:3000/app/', 'http://127.0.0.1:3000/app/', 'http://[::1]:3000/app/'])
      expect(loadConfig({ WEBAPP_URL: local }).webAppUrl).toBe(local);
    for (const wrong of ['http://example.org/app/', 'example.org/app/', 'ftp://example.org/app/', 'https://']) {
      let message = '';
      try {
        loadConfig({ WEBAPP_URL: wrong });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect([wrong, message]).toEqual([wrong, expect.stringContaining("WEBAPP_URL must be the web app's public https:// URL")]);
    }
  });
});
