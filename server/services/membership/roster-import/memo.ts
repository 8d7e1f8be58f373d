/**
 * Remembers a pure parser's answers: most columns of a roster repeat a few values (政治面貌,
 * 民族, 学历, the branch, the days of date cells), and a 100,000-row file would parse them
 * 100,000 times. Bounded, so a column of distinct values costs a lookup and nothing more.
 */
const MAX_REMEMBERED = 2000;

/**
 * `parse` with its answers remembered by `keyOf(value)` (values without a key are parsed each
 * time), for at most `max` distinct keys.
 */
export function rememberAnswers<V, K, R>(parse: (value: V) => R, keyOf: (value: V) => K | undefined, max = MAX_REMEMBERED): (value: V) => R {
  const answers = new Map<K, R>();
  return (value) => {
    const key = keyOf(value);
    if (key === undefined) return parse(value);
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = parse(value);
      if (answers.size < max) answers.set(key, answer);
    }
    return answer;
  };
}

/** `parse` with its answers for text cells remembered (others are parsed each time). */
export function rememberTextAnswers<V, R>(parse: (value: V) => R): (value: V) => R {
  return rememberAnswers(parse, (value) => (typeof value === 'string' ? value : undefined));
}
