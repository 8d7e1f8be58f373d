/**
 * Edit (Levenshtein) distance in characters, for name suggestions (R11): a name as typed is
 * compared with every organisation name in reach, so the usual case runs bit-parallel (Myers
 * 1999, in Hyyrö's formulation): one pass over the other name's characters instead of a table.
 */

/** Characters as small numbers, shared by a set of names (a query indexes its bit masks by them). */
export class Alphabet {
  private readonly ids = new Map<number, number>();

  get size(): number {
    return this.ids.size;
  }

  /** The text's characters as ids; new characters are added. */
  add(text: string): Uint32Array {
    return Uint32Array.from(Array.from(text), (ch) => {
      const c = ch.codePointAt(0)!;
      let id = this.ids.get(c);
      if (id === undefined) this.ids.set(c, (id = this.ids.size));
      return id;
    });
  }

  /** The text's characters as ids; a character not in the alphabet matches none of its names. */
  lookUp(text: string): Uint32Array {
    return Uint32Array.from(Array.from(text), (ch) => this.ids.get(ch.codePointAt(0)!) ?? NO_MATCH);
  }
}

const NO_MATCH = 0xffffffff;
/** Longest query compared bit-parallel (a bit per character of a 32-bit word); longer ones use the table. */
const WORD = 32;

let prevRow = new Uint32Array(64);
let curRow = new Uint32Array(64);

/** The classic table, two rows at a time, with an early exit once a row is all above `max`. */
function tableDistance(s: Uint32Array, t: Uint32Array, max: number, within: boolean): number {
  if (s.length === 0 || t.length === 0) return within ? s.length : Math.max(s.length, t.length);
  if (prevRow.length <= t.length) {
    prevRow = new Uint32Array(t.length * 2);
    curRow = new Uint32Array(t.length * 2);
  }
  let prev = prevRow;
  let cur = curRow;
  for (let j = 0; j <= t.length; j++) prev[j] = within ? 0 : j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const si = s[i - 1];
    for (let j = 1; j <= t.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (si === t[j - 1] ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  if (!within) return prev[t.length];
  let best = prev[0];
  for (let j = 1; j <= t.length; j++) if (prev[j] < best) best = prev[j];
  return best;
}

/** A name as typed (character ids of an {@link Alphabet}), prepared to be compared with many names. */
export class Query {
  readonly length: number;
  private readonly peq: Int32Array;

  constructor(
    readonly ids: Uint32Array,
    alphabetSize: number,
  ) {
    this.length = ids.length;
    this.peq = new Int32Array(this.length <= WORD ? alphabetSize : 0);
    if (this.length <= WORD) ids.forEach((c, i) => void (c < alphabetSize && (this.peq[c] |= 1 << i)));
  }

  /**
   * Edit distance to `text` (ids of the same alphabet); with `within`, to the closest part of
   * `text` (skipping its start and end is free). More than `max` once it is known to exceed it.
   */
  distance(text: Uint32Array, max: number, within = false): number {
    const m = this.length;
    if (!within && Math.abs(m - text.length) > max) return max + 1;
    if (m > WORD) return tableDistance(this.ids, text, max, within);
    if (m === 0) return within ? 0 : text.length;
    const top = 1 << (m - 1);
    const carry = within ? 0 : 1; // as a whole, each character of `text` before the match costs an edit
    let vp = -1;
    let vn = 0;
    let score = m;
    let best = m;
    for (let j = 0; j < text.length; j++) {
      const eq = this.peq[text[j]] ?? 0;
      const xv = eq | vn;
      const xh = ((((eq & vp) + vp) | 0) ^ vp) | eq;
      let hp = vn | ~(xh | vp);
      const hn = vp & xh;
      if (hp & top) score++;
      else if (hn & top) score--;
      hp = (hp << 1) | carry;
      vp = (hn << 1) | ~(xv | hp);
      vn = hp & xv;
      if (score < best) best = score;
    }
    return within ? best : score;
  }
}

/**
 * Levenshtein distance between two strings, counted in characters (not UTF-16 units); with
 * `within`, between `a` and the closest part of `b`. Past `max` it may stop early and return
 * any number above `max`.
 */
export function editDistance(a: string, b: string, max = Infinity, opts: { within?: boolean } = {}): number {
  const alphabet = new Alphabet();
  const t = alphabet.add(b);
  const s = alphabet.add(a);
  return new Query(s, alphabet.size).distance(t, max, opts.within);
}
