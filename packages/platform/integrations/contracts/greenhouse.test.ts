import { describe, expect, it } from 'vitest';
import {
  clientCredentialsExchange,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
} from '../../test/support/contract.js';

const def = shippedDefinition('greenhouse');
const account = {
  credentials: { client_id: 'gh-client', client_secret: 'gh-secret', access_token: 'eyJhbGciOi.harvest' },
};
const auth = { authorization: 'Bearer eyJhbGciOi.harvest' };
const v3 = 'https://harvest.greenhouse.io/v3';

describe('greenhouse contract', () => {
  it('gets a token with client credentials in a Basic header, with sub when given', async () => {
    // https://harvestdocs.greenhouse.io/docs/authentication
    const { request, accessToken } = await clientCredentialsExchange(
      def,
      { body: { access_token: 'eyJhbGciOi.harvest', token_type: 'Bearer', expires_in: 3600 } },
      { client_id: 'gh-client', client_secret: 'gh-secret', sub: '4080' },
    );
    expect(request.url).toBe('https://auth.greenhouse.io/token');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('gh-client:gh-secret').toString('base64')}`,
    );
    expect(request.form).toEqual({ grant_type: 'client_credentials', sub: '4080' });
    expect(accessToken).toBe('eyJhbGciOi.harvest');
    const without = await clientCredentialsExchange(
      def,
      { body: { access_token: 't', token_type: 'Bearer' } },
      { client_id: 'gh-client', client_secret: 'gh-secret' },
    );
    expect(without.request.form).toEqual({ grant_type: 'client_credentials' });
  });

  it('post-install lists one user with the bearer token', () => {
    const { requests, context } = postInstallRun(def, account, {
      verify_users: { body: [{ id: 4080, first_name: 'Ada', last_name: 'Lovelace', disabled: false }] },
    });
    expect(requests.verify_users).toEqual({ method: 'GET', url: `${v3}/users?per_page=1`, headers: auth });
    expect(context).toEqual({});
  });

  it('list methods put per_page and filters on the first call', () => {
    expect(methodRequest(def, account, 'list_candidates', { per_page: 50 })).toEqual({
      method: 'GET',
      url: `${v3}/candidates?per_page=50`,
      headers: auth,
    });
    // https://harvestdocs.greenhouse.io/docs/list-endpoints (example query)
    expect(
      methodRequest(def, account, 'list_applications', {
        status: 'hired',
        candidate_id: 12345,
        per_page: 50,
        updated_at: 'gte|2024-01-01T00:00:00Z',
      }).url,
    ).toBe(
      `${v3}/applications?per_page=50&candidate_ids=12345&status=hired&updated_at=gte%7C2024-01-01T00%3A00%3A00Z`,
    );
    expect(methodRequest(def, account, 'list_jobs', { status: 'closed', per_page: 2 }).url).toBe(
      `${v3}/jobs?per_page=2&status=closed`,
    );
    expect(methodRequest(def, account, 'list_users').url).toBe(`${v3}/users`);
  });

  it('a next call with the cursor sends only the cursor', () => {
    for (const name of ['list_users', 'list_candidates', 'list_applications', 'list_jobs']) {
      const request = methodRequest(def, account, name, { cursor: 'eyJhZnRlciI6MTIzfQ' });
      expect(new URL(request.url).search).toBe('?cursor=eyJhZnRlciI6MTIzfQ');
    }
  });

  it('list tools refuse a cursor combined with any other argument', async () => {
    const { toolsOf } = await import('../../src/mcp/tools.js');
    for (const tool of toolsOf(def).filter((t) => t.name.startsWith('list_'))) {
      expect(tool.validate({ cursor: 'c' }), tool.name).toBe(true);
      expect(tool.validate({ per_page: 10 }), tool.name).toBe(true);
      expect(tool.validate({ cursor: 'c', per_page: 10 }), tool.name).toBe(false);
    }
  });

  it('pages by the Link header’s cursor, and stops without rel="next"', () => {
    // https://harvestdocs.greenhouse.io/docs/pagination
    const page = {
      headers: { link: '<https://harvest.greenhouse.io/v3/jobs?cursor=received_cursor_string>; rel="next"' },
      body: [{ id: 1, name: 'Engineer', status: 'closed' }],
    };
    expect(nextPage(def, 'list_jobs', page, { status: 'closed', per_page: 2 })).toEqual({
      cursor: 'received_cursor_string',
    });
    expect(nextPage(def, 'list_jobs', { body: [] })).toBeUndefined();
    expect(nextPage(def, 'list_jobs', { headers: { link: '' }, body: [] })).toBeUndefined();
  });

  it('get_candidate reads the list filtered to one id', () => {
    expect(methodRequest(def, account, 'get_candidate', { id: 53883394 })).toEqual({
      method: 'GET',
      url: `${v3}/candidates?ids=53883394`,
      headers: auth,
    });
  });

  it('create_candidate posts the candidate fields as JSON', () => {
    const candidate = {
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Analytical Engines',
      email_addresses: [{ value: 'ada@example.com', type: 'personal' }],
    };
    expect(methodRequest(def, account, 'create_candidate', candidate)).toEqual({
      method: 'POST',
      url: `${v3}/candidates`,
      headers: { ...auth, 'content-type': 'application/json' },
      body: candidate,
    });
  });

  it('declares the documented rate limit: 429 with Retry-After, X-RateLimit-* headers', () => {
    expect(def.rateLimit).toMatchObject({
      statuses: [429],
      retryAfterHeader: 'Retry-After',
      resetHeader: 'X-RateLimit-Reset',
      remainingHeader: 'X-RateLimit-Remaining',
    });
  });
});
