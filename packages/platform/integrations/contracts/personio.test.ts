/**
 * Contract tests of the Personio definition against Personio's documented v2 requests and
 * answers (developer.personio.de), with no network.
 * @module
 */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { tokenEndpoint } from '../../src/provider/token-endpoint.js';
import {
  authMethodOf,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
} from '../../test/support/contract.js';

const def = shippedDefinition('personio');
const credentials = { client_id: 'papi-client', client_secret: 'papi-secret', access_token: 'v2-token' };
const account = { credentials };
const headers = { accept: 'application/json', authorization: 'Bearer v2-token' };
const BASE = 'https://api.personio.de';

// List answer of https://developer.personio.de/reference/get_v2-persons (trimmed)
const person = {
  id: '12345678',
  email: 'lena.koch@acme.example',
  first_name: 'Lena',
  last_name: 'Koch',
  preferred_name: 'Lena Koch',
  gender: 'FEMALE',
  status: 'ACTIVE',
  created_at: '2024-01-10T09:00:00Z',
  updated_at: '2026-03-01T09:00:00Z',
  employments: [{ id: '87654321' }],
};
const nextHref = `${BASE}/v2/persons?cursor=cur_82sQwR2eZvKilo2duNh219Kw&limit=10`;

describe('personio contract', () => {
  it('asks /v2/auth/token for a client-credentials token with the ID and secret in the form body', async () => {
    // The platform's own token endpoint (client auth, URL) with the request recorded.
    const method = authMethodOf(def, 'oauth2_client_credentials');
    const spec = method.oauth2;
    if (!spec) throw new Error('personio has no oauth2 settings');
    let recorded: { url: string; headers: Headers; form: URLSearchParams } | undefined;
    const transport = (async (input: string | URL | Request, init?: RequestInit) => {
      recorded = {
        url: String(input instanceof Request ? input.url : input),
        headers: new Headers(init?.headers),
        form: new URLSearchParams(String(init?.body ?? '')),
      };
      // https://developer.personio.de/reference/post_v2-auth-token (success answer)
      return Response.json({ access_token: 'v2-token', token_type: 'Bearer', expires_in: 86400 });
    }) as typeof fetch;
    const endpoint = tokenEndpoint(
      spec,
      credentials,
      { clientId: credentials.client_id, clientSecret: credentials.client_secret },
      { transport },
    );
    const response = await oauth.clientCredentialsGrantRequest(
      endpoint.as,
      endpoint.client,
      endpoint.clientAuth,
      new URLSearchParams(),
      endpoint.options(),
    );
    const tokens = await oauth.processClientCredentialsResponse(endpoint.as, endpoint.client, response);
    expect(tokens.access_token).toBe('v2-token');
    expect(recorded?.url).toBe('https://api.personio.de/v2/auth/token');
    expect(recorded?.headers.get('content-type')).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(recorded?.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(recorded?.form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'papi-client',
      client_secret: 'papi-secret',
    });
  });

  it('post-install reads one person with the v2 token', () => {
    const { requests, context } = postInstallRun(def, account, {
      persons: { body: { _data: [person], _meta: { links: { next: { href: nextHref } } } } },
    });
    expect(requests.persons).toEqual({ method: 'GET', url: `${BASE}/v2/persons?limit=1`, headers });
    expect(context).toEqual({});
  });

  it('list_persons sends limit and filters, and follows _meta.links.next.href', () => {
    expect(
      methodRequest(def, account, 'list_persons', { limit: 10, email: person.email, status: 'ACTIVE' }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/v2/persons?limit=10&email=lena.koch%40acme.example&status=ACTIVE`,
      headers,
    });
    const answer = {
      body: {
        _data: [person],
        _meta: { links: { self: { href: `${BASE}/v2/persons` }, next: { href: nextHref } } },
      },
    };
    expect(nextPage(def, 'list_persons', answer, { limit: 10 })).toEqual({ cursor: nextHref });
    expect(methodRequest(def, account, 'list_persons', { cursor: nextHref })).toEqual({
      method: 'GET',
      url: nextHref,
      headers,
    });
    expect(
      nextPage(def, 'list_persons', {
        body: { _data: [person], _meta: { links: { self: { href: `${BASE}/v2/persons` } } } },
      }),
    ).toBeUndefined();
  });

  it('a bare cursor goes into the cursor query parameter', () => {
    expect(methodRequest(def, account, 'list_persons', { cursor: 'cur_82sQwR2eZvKilo2duNh219Kw' }).url).toBe(
      `${BASE}/v2/persons?cursor=cur_82sQwR2eZvKilo2duNh219Kw`,
    );
  });

  it('get_person reads one person by ID', () => {
    expect(methodRequest(def, account, 'get_person', { person_id: '12345678' })).toEqual({
      method: 'GET',
      url: `${BASE}/v2/persons/12345678`,
      headers,
    });
  });

  it('create_person posts the person with one employment', () => {
    // Body fields of https://developer.personio.de/reference/post_v2-persons
    const args = {
      email: 'john.dou@acme.example',
      first_name: 'John',
      last_name: 'Dou',
      preferred_name: 'John Dou',
      gender: 'MALE',
      language_code: 'en',
      employments: [
        {
          employment_start_date: '2026-12-01',
          position: { title: 'Developer' },
          office: { id: '1234' },
          status: 'ONBOARDING',
          weekly_working_hours: 40,
        },
      ],
    };
    expect(methodRequest(def, account, 'create_person', args)).toEqual({
      method: 'POST',
      url: `${BASE}/v2/persons`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: args,
    });
  });

  it('list_absence_periods filters by person and pages the same way', () => {
    expect(methodRequest(def, account, 'list_absence_periods', { person_id: '12345678', limit: 50 })).toEqual(
      {
        method: 'GET',
        url: `${BASE}/v2/absence-periods?limit=50&person.id=12345678`,
        headers,
      },
    );
    const next = `${BASE}/v2/absence-periods?cursor=cur_abc&limit=50`;
    expect(
      nextPage(def, 'list_absence_periods', {
        body: { _data: [{ id: 'abc6fa09' }], _meta: { links: { next: { href: next } } } },
      }),
    ).toEqual({ cursor: next });
  });
});
