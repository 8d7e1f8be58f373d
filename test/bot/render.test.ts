import fc from 'fast-check';
import { cutText, inlineKeyboard, MAX_MESSAGE_CHARS, splitText } from '../../bot/render';
import { appButton, button } from '../../flows/engine/types';

const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('replies Telegram takes', () => {
  it('a text of any length goes in parts of at most 4096 characters, never cutting a character; all of it when it fits in four', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constant('\n'), fc.constant('团'), fc.constant('😀'), fc.constant('a')), maxLength: 30_000 }), (text) => {
        const parts = splitText(text);
        expect(parts.length).toBeGreaterThanOrEqual(1);
        expect(parts.length).toBeLessThanOrEqual(4);
        for (const p of parts) {
          expect(p.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
          expect(lone.test(p)).toBe(false);
        }
        if (text.length <= 3 * MAX_MESSAGE_CHARS) expect(parts.join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
        else expect(parts[parts.length - 1]).toContain('内容过长');
      }),
      { numRuns: 200 },
    );
  });

  it('cutText keeps a text that fits and cuts one that does not, with a note', () => {
    expect(cutText('短消息', 10)).toBe('短消息');
    const cut = cutText('😀'.repeat(3000), 1024);
    expect(cut.length).toBeLessThanOrEqual(1024);
    expect(cut).toContain('内容过长');
    expect(lone.test(cut)).toBe(false);
  });

  it('R22 an app button opens the Mini App in a private chat, is a link in a group, and is left out without a web app address', () => {
    const rows = [[appButton('打开团务应用', '/fees')], [button('取消', 'cancel')]];
    expect(inlineKeyboard(rows, { url: 'https://example.org/app/', privateChat: true })!.inline_keyboard).toEqual([
      [{ text: '打开团务应用', web_app: { url: 'https://example.org/app/fees' } }],
      [{ text: '取消', callback_data: 'cancel' }],
    ]);
    expect(inlineKeyboard(rows, { url: 'https://example.org/app', privateChat: false })!.inline_keyboard[0]).toEqual([
      { text: '打开团务应用', url: 'https://example.org/app/fees' },
    ]);
    expect(inlineKeyboard(rows)!.inline_keyboard).toEqual([[{ text: '取消', callback_data: 'cancel' }]]);
    expect(inlineKeyboard([[appButton('打开团务应用')]])).toBeUndefined();
  });
});
