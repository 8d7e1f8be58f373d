import fc from 'fast-check';
import { cutText, MAX_MESSAGE_CHARS, splitText } from '../../bot/render';

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
});
