/**
 * Remembers a pure cell parser's answers: most columns of a roster repeat a few values
 * (政治面貌, 民族, 学历, the branch), and a 100,000-row file would parse them 100,000 times.
 * Bounded, so a column of distinct values costs a lookup and nothing more.
 */
const MAX_REMEMBERED = 2000;

/** `parse` with its answers for text cells remembered (others are parsed each time). */
export function rememberTextAnswers<V, R>(parse: (value: V) => R): (value: V) => R {
  const answers = new Map<string, R>();
  return (value) => {
    if (typeof value !== 'string') return parse(value);
    let answer = answers.get(value);
    if (answer === undefined) {
      answer = parse(value);
      if (answers.size < MAX_REMEMBERED) answers.set(value, answer);
    }
    return answer;
  };
}
