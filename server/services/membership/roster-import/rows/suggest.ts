/**
 * "Did you mean" for organisation full names (R11): the closest existing names by edit
 * distance, compared after {@link normaliseOrgName}, to a name as people write it: the full name
 * with slips, a part of it (the class without the school), or the short name (简称).
 */
import { normaliseOrgName } from '../../../organisations/org-names';
import { Alphabet, Query } from './edit-distance';

export { editDistance } from './edit-distance';

/** Largest distance still worth suggesting: about a third of the longer name, at least 2. */
function closeEnough(lengthA: number, lengthB: number): number {
  return Math.max(2, Math.floor(Math.max(lengthA, lengthB) * 0.3));
}

/** Shortest name looked for inside full names: fewer characters (`支部`) say nothing. */
const MIN_PART = 4;

/** An organisation to suggest: its full name and, when it has one, its short name (简称). */
export interface NameEntry {
  fullName: string;
  shortName?: string | null;
}

interface Candidate {
  fullName: string;
  key: string;
  /** Characters of the normalised full name and short name, as alphabet ids. */
  codes: Uint32Array;
  shortCodes?: Uint32Array;
}

/** The names to suggest from, with the alphabet their characters are numbered in. */
interface Candidates {
  alphabet: Alphabet;
  list: Candidate[];
}

/**
 * How far `q` (a name as typed, `key` normalised) is from a candidate, or undefined when too far. The name may
 * be the full name with a few slips, the full name's last or middle part (`计算机科学(1)班支部`
 * for `共青团…计算机科学（1）班支部委员会`) with a few slips, or the short name.
 */
function score(key: string, q: Query, c: Candidate): number | undefined {
  const length = q.length;
  let best = Infinity;
  // The whole full name with slips, or held whole in a longer name.
  const holds = c.codes.length >= Math.max(MIN_PART, 0.4 * length) && key.includes(c.key);
  const fullMax = holds ? length : closeEnough(length, c.codes.length);
  if (Math.abs(length - c.codes.length) <= fullMax) {
    const d = q.distance(c.codes, fullMax);
    if (d <= fullMax) best = d;
  }
  // A part of the full name (its end, its middle) with a few slips.
  const partMax = Math.floor(length * 0.3);
  if (length >= MIN_PART && best > 0) {
    const d = q.distance(c.codes, partMax, true);
    if (d <= partMax && d < best) best = d;
  }
  // The short name with slips.
  if (c.shortCodes) {
    const shortMax = closeEnough(length, c.shortCodes.length);
    if (Math.abs(length - c.shortCodes.length) <= shortMax && best > 0) {
      const d = q.distance(c.shortCodes, shortMax);
      if (d <= shortMax && d < best) best = d;
    }
  }
  return best === Infinity ? undefined : best;
}

function rank(input: string, candidates: Candidates, n: number): string[] {
  const key = normaliseOrgName(input);
  if (key === '') return [];
  const q = new Query(candidates.alphabet.lookUp(key), candidates.alphabet.size);
  const scored: Array<{ fullName: string; distance: number }> = [];
  for (const c of candidates.list) {
    const d = score(key, q, c);
    if (d !== undefined) scored.push({ fullName: c.fullName, distance: d });
  }
  if (scored.length === 0) return [];
  scored.sort((x, y) => x.distance - y.distance || x.fullName.localeCompare(y.fullName, 'zh-CN'));
  const best = scored[0].distance;
  // A name found as it is (a part, a short name) is the answer; after slips, the next best may be one too.
  const last = best === 0 ? 0 : best + 1;
  const seen = new Set<string>();
  const out: string[] = [];
  let atBest = 0;
  for (const s of scored) {
    if (s.distance > last) break;
    if (seen.has(s.fullName)) continue;
    seen.add(s.fullName);
    if (s.distance === best) atBest++;
    out.push(s.fullName);
  }
  // More equally good answers than can be shown: the name fits too many organisations to pick any.
  return atBest > n ? [] : out.slice(0, n);
}

function prepare(entries: Iterable<string | NameEntry>): Candidates {
  const alphabet = new Alphabet();
  const list = Array.from(entries, (entry) => {
    const { fullName, shortName } = typeof entry === 'string' ? { fullName: entry, shortName: null } : entry;
    const key = normaliseOrgName(fullName);
    const shortKey = shortName ? normaliseOrgName(shortName) : '';
    return { fullName, key, codes: alphabet.add(key), shortCodes: shortKey && shortKey !== key ? alphabet.add(shortKey) : undefined };
  });
  return { alphabet, list };
}

/**
 * Up to `n` existing full names closest to `name` (ignoring bracket width and spaces), best
 * first; only reasonably close ones, so the result may be empty. `name` may also be a part of a
 * full name (its end, say) or a short name (简称) of an entry. An exact part or short name gives
 * only the organisations it fits; a name that fits more than `n` equally well gives none.
 * @example closestNames('共青团某某大学团委', ['共青团某某大学委员会', '共青团某某中学委员会'])
 */
export function closestNames(name: string, candidates: ReadonlyArray<string | NameEntry>, n = 3): string[] {
  return rank(name, prepare(candidates), n);
}

/**
 * {@link closestNames} for many lookups against the same names: the candidates are normalised
 * once and answers are remembered per normalised input (a file often repeats the same wrong name).
 */
export function createNameSuggester(entries: Iterable<string | NameEntry>, n = 3): (name: string) => string[] {
  const candidates = prepare(entries);
  const cache = new Map<string, string[]>();
  return (name) => {
    const key = normaliseOrgName(name);
    let hit = cache.get(key);
    if (!hit) {
      hit = rank(name, candidates, n);
      cache.set(key, hit);
    }
    return hit;
  };
}
