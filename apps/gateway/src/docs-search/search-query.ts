/**
 * A user's question as an FTS5 query. Upstream strips punctuation and passes the rest, which FTS5 reads as
 * "every word must appear": a question phrased in the user's own words then rarely matches anything. Here the
 * question's content words are OR-ed, so bm25 ranks sections by how many of them, and how rare ones, they hold.
 */

/** More words than this add no precision; the cap bounds the cost of a 400,000-character query. */
export const MAX_QUERY_TERMS = 32;
const MAX_TERM_LENGTH = 64;

/** Words that say how a question is asked, not what it is about. */
const STOPWORDS = new Set(
  `a about after all also am an and any are as at be been before being both but by can cannot could did do does
  doing done each else for from get got had has have having he her here hers him his how i if in into is it its
  just let me might more most must my no nor not now of off on once only or other our ours out over own please
  same she should so some such than that the their them then there these they this those through to too under
  until up very want wants was way we were what when where which while who whom why will with would you your
  yours able possible tell explain show know need needs trying try`.split(/\s+/),
);

/** Short forms users type and the documentation spells out. */
const EXPANSIONS: Record<string, string[]> = {
  mr: ['merge', 'request'],
  mrs: ['merge', 'requests'],
  repo: ['repository'],
  repos: ['repositories'],
  '2fa': ['two', 'factor', 'authentication'],
  mfa: ['two', 'factor', 'authentication'],
  k8s: ['kubernetes'],
  pat: ['personal', 'access', 'token'],
  pats: ['personal', 'access', 'tokens'],
  env: ['environment'],
  envs: ['environments'],
  var: ['variable'],
  vars: ['variables'],
  config: ['configuration'],
  cicd: ['ci', 'cd'],
};

/** The FTS5 `MATCH` expression for `question`, or `undefined` when it holds no searchable word. */
export function matchExpression(question: string): string | undefined {
  const words = (
    question
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []
  ).filter((word) => word.length <= MAX_TERM_LENGTH);
  const content = words.flatMap((word) => EXPANSIONS[word] ?? [word]).filter((word) => !STOPWORDS.has(word));
  // A question made only of stop words ("how do I?") still searches for what it has.
  const terms = [...new Set(content.length > 0 ? content : words)].slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return undefined;
  return terms.map((term) => `"${term}"`).join(' OR ');
}
