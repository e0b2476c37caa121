import { MAX_QUERY_TERMS, matchExpression } from './search-query';

describe(matchExpression.name, () => {
  it('ORs the content words of a question, quoted', () => {
    expect(matchExpression('How do I rotate a runner token?')).toBe('"rotate" OR "runner" OR "token"');
  });

  it('spells out short forms users type', () => {
    expect(matchExpression('approve an MR in my repo')).toBe('"approve" OR "merge" OR "request" OR "repository"');
  });

  it('keeps FTS5 syntax out: quotes, operators, column filters and stars are only word breaks', () => {
    expect(matchExpression('"token" NEAR(a b) title:* -x ^y')).toBe(
      '"token" OR "near" OR "b" OR "title" OR "x" OR "y"',
    );
  });

  it('searches stop words when the question has nothing else, and gives up on no words at all', () => {
    expect(matchExpression('how do I?')).toBe('"how" OR "do" OR "i"');
    expect(matchExpression('?!… ---')).toBeUndefined();
  });

  it(`uses at most ${MAX_QUERY_TERMS} distinct terms and drops absurdly long ones`, () => {
    const question = `${'x'.repeat(65)} ${Array.from({ length: 100 }, (_, i) => `term${i} term${i}`).join(' ')}`;
    const terms = matchExpression(question)!.split(' OR ');
    expect(terms).toHaveLength(MAX_QUERY_TERMS);
    expect(terms[0]).toBe('"term0"');
  });

  it('folds Unicode forms and case', () => {
    expect(matchExpression('Ｒｕｎｎｅｒ Übersicht')).toBe('"runner" OR "übersicht"');
  });
});
