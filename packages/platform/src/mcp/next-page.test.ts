import { describe, expect, it } from 'vitest';
import { nextPageOf } from './next-page.js';

describe('nextPageOf', () => {
  it('finds rel="next" among several links, with its cursor', () => {
    const headers = new Headers({
      link: '<https://harvest.greenhouse.io/v3/users?cursor=abc%3D>; rel="next", <https://harvest.greenhouse.io/v3/users>; rel="first"',
    });
    expect(nextPageOf(headers)).toEqual({
      url: 'https://harvest.greenhouse.io/v3/users?cursor=abc%3D',
      cursor: 'abc=',
    });
  });
  it('is undefined without a next link, and keeps a next URL without a cursor', () => {
    expect(nextPageOf(new Headers())).toBeUndefined();
    expect(nextPageOf(new Headers({ link: '<https://x.test/a?page=1>; rel="prev"' }))).toBeUndefined();
    expect(nextPageOf(new Headers({ link: '<https://x.test/a?page=3>; rel=next' }))).toEqual({
      url: 'https://x.test/a?page=3',
    });
    expect(nextPageOf(new Headers({ link: '<not a url>; rel="next"' }))).toBeUndefined();
  });
});
