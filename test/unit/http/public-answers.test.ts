import { PublicAnswers } from '../../../src/http/public-cache';

const answer = (body: string, expiresAt: number) => ({
  body,
  etag: `"${body}"`,
  cacheControl: 'public, max-age=5',
  contentType: 'application/json',
  expiresAt,
});

describe('PublicAnswers, the public answers a gateway process keeps', () => {
  it('when an answer is asked for before its max-age is over, then it is found; at or after it, it is gone', () => {
    const answers = new PublicAnswers();
    answers.keep('/graphql?a', answer('a', 1_000));
    expect(answers.find('/graphql?a', 999)?.body).toBe('a');
    expect(answers.find('/graphql?a', 1_000)).toBeNull();
    expect(answers.find('/graphql?a', 500)).toBeNull(); // dropped once found stale
  });

  it('when more answers are kept than the bound, then the oldest kept is dropped first, and keeping a URL again renews its place', () => {
    const answers = new PublicAnswers(2);
    answers.keep('/a', answer('a', 10));
    answers.keep('/b', answer('b', 10));
    answers.keep('/a', answer('a2', 10));
    answers.keep('/c', answer('c', 10));
    expect(answers.find('/b', 0)).toBeNull();
    expect(answers.find('/a', 0)?.body).toBe('a2');
    expect(answers.find('/c', 0)?.body).toBe('c');
  });
});
