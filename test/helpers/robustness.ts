import { GENERIC_ERROR } from '../../flows/engine/runner';
import type { FlowEvent } from '../../flows/engine/types';
import type { System } from '../../server/system';
import { TestChat } from './chat';

/** Inputs nobody expects: stray text, stale or forged buttons, a file, an unknown command. */
export const STRAY_INPUTS: FlowEvent[] = [
  { type: 'text', text: '随便说点什么' },
  { type: 'text', text: '' },
  { type: 'text', text: '   ' },
  { type: 'text', text: "'; DROP TABLE people; --" },
  { type: 'text', text: '🙂'.repeat(300) },
  { type: 'text', text: 'x'.repeat(5000) },
  { type: 'choice', value: 'zzz' },
  { type: 'choice', value: 'org:999999' },
  { type: 'choice', value: 'org:abc' },
  { type: 'choice', value: 'org-full' },
  { type: 'choice', value: 'role:cadre' },
  { type: 'choice', value: 'confirm:yes' },
  { type: 'choice', value: '!admin-code:rotate:1' },
  { type: 'choice', value: '!audit:abc' },
  { type: 'command', name: 'nonsense', args: '' },
  { type: 'document', file: { name: 'a.xlsx', size: 3, download: async () => Buffer.from('abc') } },
];

/**
 * For each k, a fresh chat does the first k steps of a conversation, then gets every
 * stray input (each must get an answer, never the generic failure), then /cancel.
 * `makeChat` lets a test log the chat in first.
 */
export async function expectRobustAtEveryStep(
  sys: System,
  steps: Array<(chat: TestChat) => Promise<unknown>>,
  makeChat: () => Promise<TestChat> = async () => new TestChat(sys),
): Promise<void> {
  for (let k = 1; k <= steps.length; k++) {
    for (const stray of STRAY_INPUTS) {
      const chat = await makeChat();
      for (const step of steps.slice(0, k)) await step(chat);
      const replies = await chat.send(stray);
      const texts = replies.map((r) => r.text).join('\n');
      if (!replies.length || !texts.trim() || texts.includes(GENERIC_ERROR)) {
        throw new Error(`after step ${k}, ${JSON.stringify(stray).slice(0, 80)} got ${JSON.stringify(texts)}`);
      }
      expect(await chat.say('/cancel')).toMatch(/已取消|当前没有进行中的操作/);
    }
  }
}
