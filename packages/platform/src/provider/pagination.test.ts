import { describe, expect, it } from 'vitest';
import type { PaginationDefinition } from '../integrations/definition.js';
import { linkHeaderNext, nextPageFor, paginationParamOf } from './pagination.js';

const answer = (body: unknown, headers: Record<string, string> = {}) => ({
  body,
  headers: new Headers(headers),
});

describe('paginationParamOf', () => {
  it('defaults by style and honours a declared param', () => {
    expect(paginationParamOf({ style: 'cursor' })).toBe('cursor');
    expect(paginationParamOf({ style: 'link_header' })).toBe('cursor');
    expect(paginationParamOf({ style: 'next_url' })).toBe('cursor');
    expect(paginationParamOf({ style: 'offset' })).toBe('offset');
    expect(paginationParamOf({ style: 'page' })).toBe('page');
    expect(paginationParamOf({ style: 'cursor', param: 'after' })).toBe('after');
  });
});

describe('cursor', () => {
  const slack: PaginationDefinition = {
    style: 'cursor',
    cursorPath: '$response.body.response_metadata.next_cursor',
  };

  it('hands the cursor back under the param', () => {
    expect(nextPageFor(slack, answer({ response_metadata: { next_cursor: 'dXNlcjpVMDYx' } }))).toEqual({
      cursor: 'dXNlcjpVMDYx',
    });
    expect(
      nextPageFor({ ...slack, param: 'after' }, answer({ response_metadata: { next_cursor: 12 } })),
    ).toEqual({ after: 12 });
  });

  it('stops on an empty, absent or null cursor', () => {
    expect(nextPageFor(slack, answer({ response_metadata: { next_cursor: '' } }))).toBeUndefined();
    expect(nextPageFor(slack, answer({ response_metadata: { next_cursor: null } }))).toBeUndefined();
    expect(nextPageFor(slack, answer({}))).toBeUndefined();
    expect(nextPageFor(slack, answer(undefined))).toBeUndefined();
  });

  it('stops when hasMorePath says no, even with a cursor', () => {
    const hubspotLike: PaginationDefinition = {
      style: 'cursor',
      cursorPath: '$response.body.next_cursor',
      hasMorePath: '$response.body.has_more',
    };
    expect(nextPageFor(hubspotLike, answer({ next_cursor: 'c2', has_more: true }))).toEqual({ cursor: 'c2' });
    for (const no of [false, 'false', 0, undefined]) {
      expect(nextPageFor(hubspotLike, answer({ next_cursor: 'c2', has_more: no }))).toBeUndefined();
    }
  });

  it('reads a cursor from a header', () => {
    const p: PaginationDefinition = { style: 'cursor', cursorPath: '$response.headers.x-next-cursor' };
    expect(nextPageFor(p, answer([], { 'X-Next-Cursor': 'h1' }))).toEqual({ cursor: 'h1' });
    expect(nextPageFor(p, answer([]))).toBeUndefined();
  });
});

describe('next_url', () => {
  it('hands the URL back, Salesforce nextRecordsUrl', () => {
    const p: PaginationDefinition = { style: 'next_url', nextUrlPath: '$response.body.nextRecordsUrl' };
    const page = { done: false, totalSize: 3000, nextRecordsUrl: '/services/data/v62.0/query/01gD-2000' };
    expect(nextPageFor(p, answer(page))).toEqual({ cursor: '/services/data/v62.0/query/01gD-2000' });
    expect(nextPageFor(p, answer({ done: true, totalSize: 3, records: [] }))).toBeUndefined();
    expect(nextPageFor(p, answer({ nextRecordsUrl: '' }))).toBeUndefined();
  });

  it('reads a bracketed key with dots, Microsoft Graph @odata.nextLink', () => {
    const p: PaginationDefinition = { style: 'next_url', nextUrlPath: '$response.body[@odata.nextLink]' };
    const next = 'https://graph.microsoft.com/v1.0/users?$skiptoken=X%27453';
    expect(nextPageFor(p, answer({ value: [], '@odata.nextLink': next }))).toEqual({ cursor: next });
    expect(nextPageFor(p, answer({ value: [] }))).toBeUndefined();
    // The dotted path is not the bracketed key.
    expect(
      nextPageFor(
        { style: 'next_url', nextUrlPath: '$response.body.@odata.nextLink' },
        answer({ '@odata.nextLink': next }),
      ),
    ).toBeUndefined();
  });

  it('reads a nested path, Facebook-style paging.next', () => {
    const p: PaginationDefinition = { style: 'next_url', nextUrlPath: '$response.body.paging.next' };
    expect(nextPageFor(p, answer({ paging: { next: 'https://x.test/2' } }))).toEqual({
      cursor: 'https://x.test/2',
    });
  });
});

describe('link_header', () => {
  it('finds rel="next" among several links, in any order and quoting', () => {
    const headers = new Headers({
      link: '<https://api.github.com/user/repos?page=1>; rel="prev", <https://api.github.com/user/repos?page=3>; rel=next, <https://api.github.com/user/repos?page=9>; rel="last"',
    });
    expect(linkHeaderNext(headers)).toBe('https://api.github.com/user/repos?page=3');
    expect(linkHeaderNext(new Headers({ link: '<https://x.test/a>; rel="prev next"' }))).toBe(
      'https://x.test/a',
    );
    expect(linkHeaderNext(new Headers({ link: '<https://x.test/a>; rel="last"' }))).toBeUndefined();
    expect(linkHeaderNext(new Headers())).toBeUndefined();
  });

  it('hands back the param value of the next URL (Greenhouse cursor, GitHub page)', () => {
    const greenhouse = answer([], {
      link: '<https://harvest.greenhouse.io/v3/candidates?cursor=eyJwYWdl>; rel="next"',
    });
    expect(nextPageFor({ style: 'link_header' }, greenhouse)).toEqual({ cursor: 'eyJwYWdl' });
    const github = answer([], {
      link: '<https://api.github.com/repositories/1/issues?per_page=30&page=4>; rel="next"',
    });
    expect(nextPageFor({ style: 'link_header', param: 'page' }, github)).toEqual({ page: '4' });
  });

  it('hands back the whole URL when it has no such parameter, and stops without rel="next"', () => {
    const p: PaginationDefinition = { style: 'link_header' };
    expect(nextPageFor(p, answer([], { link: '<https://x.test/items?after=5>; rel="next"' }))).toEqual({
      cursor: 'https://x.test/items?after=5',
    });
    expect(nextPageFor(p, answer([], { link: '</items?after=5>; rel="next"' }))).toEqual({
      cursor: '/items?after=5',
    });
    expect(
      nextPageFor(p, answer([], { link: '<https://x.test/items?cursor=1>; rel="prev"' })),
    ).toBeUndefined();
    expect(nextPageFor(p, answer([]))).toBeUndefined();
  });
});

describe('offset', () => {
  const p: PaginationDefinition = { style: 'offset', itemsPath: '$response.body.items', limitParam: 'limit' };

  it('adds the items received to the current offset', () => {
    expect(nextPageFor(p, answer({ items: [1, 2, 3] }), { limit: 3 })).toEqual({ offset: 3 });
    expect(nextPageFor(p, answer({ items: [1, 2, 3] }), { offset: 6, limit: 3 })).toEqual({ offset: 9 });
    expect(nextPageFor(p, answer({ items: [1, 2] }), { offset: '4' })).toEqual({ offset: 6 });
  });

  it('stops on an empty page, a short page, or a body without the array', () => {
    expect(nextPageFor(p, answer({ items: [] }), { offset: 6 })).toBeUndefined();
    expect(nextPageFor(p, answer({ items: [1, 2] }), { limit: 3 })).toBeUndefined();
    expect(nextPageFor(p, answer({ nope: 1 }))).toBeUndefined();
  });

  it('reads a bare array answer, and lets hasMorePath decide over the page size', () => {
    const bare: PaginationDefinition = { style: 'offset', itemsPath: '$response.body', param: 'start' };
    expect(nextPageFor(bare, answer(['a', 'b']), { start: 10 })).toEqual({ start: 12 });
    const more: PaginationDefinition = { ...p, hasMorePath: '$response.body.more' };
    expect(nextPageFor(more, answer({ items: [1], more: true }), { limit: 3 })).toEqual({ offset: 1 });
    expect(nextPageFor(more, answer({ items: [1, 2, 3], more: false }), { limit: 3 })).toBeUndefined();
  });
});

describe('page', () => {
  it('counts up to totalPagesPath', () => {
    const p: PaginationDefinition = { style: 'page', totalPagesPath: '$response.body.meta.total_pages' };
    expect(nextPageFor(p, answer({ meta: { total_pages: 3 } }))).toEqual({ page: 2 });
    expect(nextPageFor(p, answer({ meta: { total_pages: '3' } }), { page: 2 })).toEqual({ page: 3 });
    expect(nextPageFor(p, answer({ meta: { total_pages: 3 } }), { page: 3 })).toBeUndefined();
    expect(nextPageFor(p, answer({ meta: {} }))).toBeUndefined();
  });

  it('goes on while itemsPath has items', () => {
    const p: PaginationDefinition = { style: 'page', itemsPath: '$response.body', param: 'p' };
    expect(nextPageFor(p, answer([{ id: 1 }]), { p: 4 })).toEqual({ p: 5 });
    expect(nextPageFor(p, answer([]), { p: 4 })).toBeUndefined();
  });

  it('goes on while hasMorePath is true, and stops with nothing to go on', () => {
    const p: PaginationDefinition = { style: 'page', hasMorePath: '$response.body.has_more' };
    expect(nextPageFor(p, answer({ has_more: true }))).toEqual({ page: 2 });
    expect(nextPageFor(p, answer({ has_more: false }))).toBeUndefined();
    expect(nextPageFor({ style: 'page' }, answer([1, 2]))).toBeUndefined();
  });
});
