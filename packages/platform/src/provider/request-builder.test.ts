import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import type {
  AuthMethodDefinition,
  IntegrationDefinition,
  PaginationDefinition,
  RequestDefinition,
} from '../integrations/definition.js';
import { bodyArgumentsOf, prepareProviderRequest } from './request-builder.js';

const auth: AuthMethodDefinition = {
  format: 'api_key',
  label: 'Key',
  apply: { headers: { Authorization: 'Bearer {api_key}' } },
};

const definition: IntegrationDefinition = {
  name: 'demo',
  label: 'Demo',
  baseUrl: 'https://api.demo.test/v2',
  headers: { Accept: 'application/json' },
  authMethods: [auth],
};

const values = { api_key: 'k-1', companyId: 'c-9', region: 'eu' };

function build(
  request: RequestDefinition,
  input: Record<string, unknown>,
  pagination?: PaginationDefinition,
) {
  const prepared = prepareProviderRequest(definition, auth, values, request, {
    input,
    ...(pagination ? { pagination } : {}),
  });
  return {
    ...prepared,
    href: prepared.url.href,
    json: prepared.body === undefined ? undefined : (JSON.parse(prepared.body) as unknown),
  };
}

describe('body templates', () => {
  it('puts an argument of any JSON type where "$args.<name>" stands', () => {
    const request: RequestDefinition = {
      method: 'POST',
      path: '/things',
      body: { s: '$args.s', n: '$args.n', b: '$args.b', o: '$args.o', a: '$args.a', z: '$args.z' },
    };
    const input = { s: 'x', n: 3, b: false, o: { k: [1] }, a: ['p', 'q'], z: null };
    expect(build(request, input).json).toEqual(input);
  });

  it('leaves the key out when the argument is absent (also in arrays)', () => {
    const request: RequestDefinition = {
      method: 'POST',
      path: '/things',
      body: { name: '$args.name', note: '$args.note', list: ['$args.a', '$args.b'] },
    };
    expect(build(request, { name: 'n', b: 2 }).json).toEqual({ name: 'n', list: [2] });
  });

  it('sends a whole argument as the top-level body', () => {
    const request: RequestDefinition = { method: 'POST', path: '/sobjects/{object}', body: '$args.fields' };
    const built = build(request, { object: 'Account', fields: { Name: 'Acme' } });
    expect(built.href).toBe('https://api.demo.test/v2/sobjects/Account');
    expect(built.json).toEqual({ Name: 'Acme' });
    expect(built.headers.get('content-type')).toBe('application/json');
  });

  it('"$args" is every argument not used in path, query or by name elsewhere in the body', () => {
    const request: RequestDefinition = {
      method: 'PATCH',
      path: '/people/{id}',
      query: { notify: '{notify}' },
      body: { kind: '$args.kind', properties: '$args' },
    };
    const built = build(request, { id: '7', notify: 'yes', kind: 'person', first: 'Ada', last: 'L' });
    expect(built.href).toBe('https://api.demo.test/v2/people/7?notify=yes');
    expect(built.json).toEqual({ kind: 'person', properties: { first: 'Ada', last: 'L' } });
  });

  it('"$context.<key>" takes an account value; an absent one leaves the key out', () => {
    const request: RequestDefinition = {
      method: 'POST',
      path: '/x',
      body: { company: '$context.companyId', missing: '$context.nope', proto: '$context.constructor' },
    };
    expect(build(request, {}).json).toEqual({ company: 'c-9' });
  });

  it('sends other strings literally: braces are not interpolated, numbers and nulls kept', () => {
    const query = 'query Issues($first: Int) { issues(first: $first) { nodes { id } } } {api_key}';
    const request: RequestDefinition = {
      method: 'POST',
      path: '/graphql',
      body: { query, variables: { first: '$args.first' }, n: 1, z: null, t: true, s: '$args.x.y' },
    };
    expect(build(request, { first: 5 }).json).toEqual({
      query,
      variables: { first: 5 },
      n: 1,
      z: null,
      t: true,
      s: '$args.x.y',
    });
  });

  it('without a body template, sends the arguments not used in path or query', () => {
    const request: RequestDefinition = {
      method: 'POST',
      path: '/companies/{companyId}/employees/{team}',
      query: { dry: '{dry}' },
    };
    const built = build(request, { team: 'a b', dry: 'true', firstName: 'Ada', tags: ['x'] });
    expect(built.href).toBe('https://api.demo.test/v2/companies/c-9/employees/a%20b?dry=true');
    expect(built.json).toEqual({ firstName: 'Ada', tags: ['x'] });
  });

  it('GET and DELETE send no body, whatever the arguments', () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const built = build({ method, path: '/x/{id}', body: { a: '$args.a' } }, { id: '1', a: 2, b: 3 });
      expect(built.body).toBeUndefined();
      expect(built.headers.has('content-type')).toBe(false);
    }
  });

  it('keeps a declared JSON media type (JSON:API) instead of application/json', () => {
    const built = build(
      {
        method: 'POST',
        path: '/candidates',
        headers: { 'Content-Type': 'application/vnd.api+json' },
        body: { data: { type: 'candidates', attributes: '$args.attributes' } },
      },
      { attributes: { email: 'a@b.test' } },
    );
    expect(built.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(built.json).toEqual({ data: { type: 'candidates', attributes: { email: 'a@b.test' } } });
  });

  it('refuses a path argument that is a dot segment, which the URL parser would climb out with', () => {
    for (const repo of ['..', '.']) {
      expect(() =>
        build({ method: 'GET', path: '/repos/{owner}/{repo}/issues/{n}' }, { owner: 'a/b', repo, n: 1 }),
      ).toThrow(InvalidArgumentError);
    }
    // Encoded, dots inside a value are harmless.
    expect(build({ method: 'GET', path: '/repos/{owner}/{repo}' }, { owner: 'a', repo: '..x' }).href).toBe(
      'https://api.demo.test/v2/repos/a/..x',
    );
  });

  it('names the arguments a template uses one by one', () => {
    expect(bodyArgumentsOf({ a: '$args.a', b: ['$args.b', { c: '$args.c' }], d: '$args', e: 'x' })).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('puts headers, query parameters left out when their value is missing, and credentials on', () => {
    const built = build(
      { method: 'GET', path: '/list', query: { limit: '{limit}', q: 'name:{q}', fixed: 'yes' } },
      { limit: 10 },
    );
    expect(built.href).toBe('https://api.demo.test/v2/list?limit=10&fixed=yes');
    expect(built.headers.get('authorization')).toBe('Bearer k-1');
    expect(built.headers.get('accept')).toBe('application/json');
    expect(built.guarded).toBe(false);
  });
});

describe('next-page URL arguments', () => {
  const nextUrl: PaginationDefinition = { style: 'next_url', nextUrlPath: '$response.body.next' };
  const link: PaginationDefinition = { style: 'link_header' };
  const request: RequestDefinition = {
    method: 'GET',
    path: '/records',
    query: { q: '{q}', cursor: '{cursor}', per_page: '{per_page}' },
  };

  it('resolves a relative next-page URL against the base and sends only what it carries', () => {
    const built = build(request, { q: 'SELECT Id FROM Account', cursor: '/v2/records/01g-2000' }, nextUrl);
    expect(built.href).toBe('https://api.demo.test/v2/records/01g-2000');
    expect(built.headers.get('authorization')).toBe('Bearer k-1');
  });

  it('accepts an absolute URL on the same origin, as is', () => {
    const built = build(
      request,
      { cursor: 'https://api.demo.test/v2/records?cursor=abc&per_page=5', per_page: 100 },
      link,
    );
    expect(built.href).toBe('https://api.demo.test/v2/records?cursor=abc&per_page=5');
  });

  it('refuses a next-page URL on another origin with invalid_argument', () => {
    for (const cursor of [
      'https://evil.test/v2/records?cursor=abc',
      'http://api.demo.test/v2/records',
      'https://api.demo.test:8443/v2/records',
      '//evil.test/steal',
    ]) {
      let thrown: unknown;
      try {
        build(request, { cursor }, nextUrl);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, cursor).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).code).toBe('invalid_argument');
      expect((thrown as Error).message).toContain('https://api.demo.test');
    }
  });

  it('sends a cursor that is not a URL to the query as usual', () => {
    const built = build(request, { cursor: 'eyJpZCI6NX0=', per_page: 50 }, link);
    expect(built.href).toBe('https://api.demo.test/v2/records?cursor=eyJpZCI6NX0%3D&per_page=50');
  });

  it('treats a URL-like argument as plain data when the method does not page by URL', () => {
    const built = build(request, { cursor: 'https://evil.test/x' }, { style: 'cursor' });
    expect(built.href).toBe('https://api.demo.test/v2/records?cursor=https%3A%2F%2Fevil.test%2Fx');
  });
});
