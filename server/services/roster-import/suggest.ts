/**
 * "Did you mean" for organisation full names (R11): the closest existing names by edit
 * distance, compared after {@link normaliseOrgName}.
 */
import { normaliseOrgName } from '../org-names';

const codePoints = (text: string): Uint32Array => Uint32Array.from(Array.from(text), (c) => c.codePointAt(0)!);

let prevRow = new Uint32Array(64);
let curRow = new Uint32Array(64);

/** Levenshtein over code points with an early exit, reusing two rows (it runs once per candidate). */
function distance(s: Uint32Array, t: Uint32Array, max: number): number {
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (s.length === 0 || t.length === 0) return Math.max(s.length, t.length);
  if (prevRow.length <= t.length) {
    prevRow = new Uint32Array(t.length * 2);
    curRow = new Uint32Array(t.length * 2);
  }
  let prev = prevRow;
  let cur = curRow;
  for (let j = 0; j <= t.length; j++) prev[j] = j;
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
  return prev[t.length];
}

/**
 * Levenshtein distance between two strings, counted in characters (not UTF-16 units).
 * Stops early and returns `max + 1` once the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  return distance(codePoints(a), codePoints(b), max);
}

/** Largest distance still worth suggesting: about a third of the longer name, at least 2. */
function closeEnough(lengthA: number, lengthB: number): number {
  return Math.max(2, Math.floor(Math.max(lengthA, lengthB) * 0.3));
}

interface Candidate {
  fullName: string;
  key: string;
  codes: Uint32Array;
}

function rank(input: string, candidates: readonly Candidate[], n: number): string[] {
  const key = normaliseOrgName(input);
  if (key === '') return [];
  const codes = codePoints(key);
  const length = codes.length;
  const scored: Array<{ fullName: string; distance: number }> = [];
  for (const c of candidates) {
    // A short name (简称) or a name missing its prefix is contained in the full name.
    const other = c.codes.length;
    const contains = Math.min(length, other) >= Math.max(4, 0.4 * Math.max(length, other)) && (c.key.includes(key) || key.includes(c.key));
    const max = contains ? Math.max(length, other) : closeEnough(length, other);
    const d = distance(codes, c.codes, max);
    if (d <= max) scored.push({ fullName: c.fullName, distance: d });
  }
  scored.sort((x, y) => x.distance - y.distance || x.fullName.localeCompare(y.fullName, 'zh-CN'));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of scored) {
    if (out.length >= n) break;
    if (!seen.has(s.fullName)) out.push(s.fullName), seen.add(s.fullName);
  }
  return out;
}

function prepare(fullNames: Iterable<string>): Candidate[] {
  return Array.from(fullNames, (fullName) => {
    const key = normaliseOrgName(fullName);
    return { fullName, key, codes: codePoints(key) };
  });
}

/**
 * Up to `n` existing full names closest to `name` (ignoring bracket width and spaces), best
 * first; only reasonably close ones, so the result may be empty.
 * @example closestNames('共青团某某大学团委', ['共青团某某大学委员会', '共青团某某中学委员会'])
 */
export function closestNames(name: string, candidates: readonly string[], n = 3): string[] {
  return rank(name, prepare(candidates), n);
}

/**
 * {@link closestNames} for many lookups against the same names: the candidates are normalised
 * once and answers are remembered per normalised input (a file often repeats the same wrong name).
 */
export function createNameSuggester(fullNames: Iterable<string>, n = 3): (name: string) => string[] {
  const candidates = prepare(fullNames);
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
