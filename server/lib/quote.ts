/** How much of someone's input a message quotes back, at most. */
export const QUOTE_MAX = 24;

/**
 * User input as a message quotes it: the first characters (whole characters, not halves of
 * one), and for a longer input its length instead of the rest, so an answer never grows with
 * what was pasted: `张三张三…（共 4090 个字）`.
 */
export function quoteInput(text: string, max = QUOTE_MAX): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…（共 ${chars.length} 个字）`;
}
