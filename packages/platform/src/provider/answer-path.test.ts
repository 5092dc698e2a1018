import { describe, expect, it } from 'vitest';
import { pathSegments, readAnswer, readPath } from './answer-path.js';

describe('answer paths', () => {
  it('splits dots, indexes and bracketed keys that hold dots', () => {
    expect(pathSegments('a.b[0][@odata.nextLink].c')).toEqual(['a', 'b', '0', '@odata.nextLink', 'c']);
  });

  it('reads bodies, array items, bracketed keys and headers', () => {
    const answer = {
      headers: new Headers({ Location: 'https://api.x.test/employees/42' }),
      body: { data: [{ id: 7, 'a.b': 'dotted' }], '@odata.nextLink': 'https://n' },
    };
    expect(readAnswer('$response.body.data[0].id', answer)).toBe(7);
    expect(readAnswer('$response.body.data[0][a.b]', answer)).toBe('dotted');
    expect(readAnswer('$response.body[@odata.nextLink]', answer)).toBe('https://n');
    expect(readAnswer('$response.body', answer)).toBe(answer.body);
    expect(readAnswer('$response.headers.location', answer)).toBe('https://api.x.test/employees/42');
    expect(readAnswer('$response.headers.x-missing', answer)).toBeUndefined();
    expect(readAnswer('$response.body.data[3].id', answer)).toBeUndefined();
    expect(readAnswer('$credentials.api_key', answer)).toBeUndefined();
  });

  it('reads own properties only: prototype members are not values', () => {
    const body = { a: {}, list: [1] };
    for (const path of ['__proto__', 'constructor', 'a.constructor', 'a.__proto__', 'toString', 'list.map']) {
      expect(readPath(body, path), path).toBeUndefined();
    }
    expect(readAnswer('$response.body.constructor.name', { headers: new Headers(), body })).toBeUndefined();
    expect(readAnswer('$response.body[__proto__]', { headers: new Headers(), body })).toBeUndefined();
    // An array's own length is a value (BambooHR keeps a field count this way).
    expect(readPath(body, 'list.length')).toBe(1);
    // A parsed JSON key named __proto__ is an own property and is read.
    expect(readPath(JSON.parse('{"__proto__": {"x": 1}}'), '__proto__.x')).toBe(1);
  });
});
