/**
 * Contract tests of the Deel definition against Deel's documented requests and answers
 * (developer.deel.com), with no network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('deel');
const oauthAccount = { format: 'oauth2' as const, credentials: { access_token: 'deel-oauth-token' } };
const tokenAccount = { format: 'api_key' as const, credentials: { api_token: 'deel-org-token' } };
const oauthHeaders = { accept: 'application/json', authorization: 'Bearer deel-oauth-token' };
const BASE = 'https://api.letsdeel.com/rest/v2';

// https://developer.deel.com/v2.1.72/changelog/v126 (people list sample, trimmed to one person)
const personSample = {
  id: 'a4f91c16-2104-4841-ba4e-77fdcb5bc6ee',
  created_at: '2023-07-21T07:44:58.437Z',
  first_name: 'Whitney',
  last_name: 'Houston',
  full_name: 'Whitney Houston',
  emails: [
    { type: 'primary', value: 'whitney@example.com' },
    { type: 'work', value: null },
  ],
  start_date: '2023-08-05',
  client_legal_entity: { id: 232324, name: 'Aleena Moon' },
  employments: [{ id: '3edvyng', name: 'Fixed-Rate API- 2023-07-21', hiring_type: 'contractor' }],
  hiring_status: 'inactive',
};

// https://developer.deel.com/v2.1.72/docs/token-rotation (token answer)
const tokenSample = {
  access_token: 'MTQ0NjJkZmQ5OTM2NDE1ZTZjNGZmZjI3',
  expires_in: 2592000,
  refresh_token: 'IwOGYzYTlmM2YxOTQ5MGE3YmNmMDFkNTVk',
  token_type: 'Bearer',
  scope: 'people:read people:write organizations:read',
};

describe('deel contract', () => {
  it('authorizes at app.deel.com with space-separated scopes and no PKCE', async () => {
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://app.deel.com/oauth2/authorize');
    expect(url.searchParams.get('scope')).toBe('people:read people:write organizations:read');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('exchanges the code at /oauth2/tokens with HTTP Basic client auth', async () => {
    const { request, credentials } = await tokenExchange(def, { body: tokenSample });
    expect(request.url).toBe('https://app.deel.com/oauth2/tokens');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('client-123:secret-456').toString('base64')}`,
    );
    expect(request.form.grant_type).toBe('authorization_code');
    expect(request.form.code).toBe('code-789');
    expect(request.form.redirect_uri).toBe('https://connect.example.com/link/oauth/callback');
    expect(request.form.client_secret).toBeUndefined();
    expect(credentials).toEqual({
      access_token: tokenSample.access_token,
      refresh_token: tokenSample.refresh_token,
      expires_in: 2592000,
    });
  });

  it('post-install reads one person with either credential', () => {
    const { requests } = postInstallRun(def, oauthAccount, { people: { body: { data: [personSample] } } });
    expect(requests.people).toEqual({ method: 'GET', url: `${BASE}/people?limit=1`, headers: oauthHeaders });
    const withToken = postInstallRun(def, tokenAccount, { people: { body: { data: [personSample] } } });
    expect(withToken.requests.people?.headers.authorization).toBe('Bearer deel-org-token');
  });

  it('list_people sends offset, limit and filters as documented', () => {
    // https://developer.deel.com/docs/people sample request
    expect(
      methodRequest(def, oauthAccount, 'list_people', {
        hiring_status: 'inactive',
        sort_by: 'full_name',
        limit: 2,
      }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/people?limit=2&sort_by=full_name&hiring_statuses=inactive`,
      headers: oauthHeaders,
    });
  });

  it('list_people pages by offset until a short page', () => {
    const full = { body: { data: [personSample, { ...personSample, id: 'b5' }] } };
    expect(nextPage(def, 'list_people', full, { offset: 150, limit: 2 })).toEqual({ offset: 152 });
    expect(
      nextPage(def, 'list_people', { body: { data: [personSample] } }, { offset: 152, limit: 2 }),
    ).toBeUndefined();
    expect(nextPage(def, 'list_people', { body: { data: [] } }, { offset: 154 })).toBeUndefined();
  });

  it('get_person reads one person by HRIS profile id', () => {
    expect(
      methodRequest(def, tokenAccount, 'get_person', {
        hris_profile_id: personSample.id,
        include_worker_relations: true,
      }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/people/${personSample.id}?include_worker_relations=true`,
      headers: { accept: 'application/json', authorization: 'Bearer deel-org-token' },
    });
  });

  it('create_person_without_contract wraps client and person in data', () => {
    // https://developer.deel.com/api/endpoints/people/create-person-without-contract (example body)
    const client = {
      team: { id: 'cbb25647-31e0-485d-9d5f-bdd48296aa1e' },
      legal_entity: { id: 'cfebc769-abe9-4646-83b9-28cf79f23a0d' },
    };
    const person = {
      email: 'email@email.com',
      last_name: 'Doe',
      first_name: 'John',
      start_date: '2020-01-01',
    };
    expect(methodRequest(def, oauthAccount, 'create_person_without_contract', { client, person })).toEqual({
      method: 'POST',
      url: `${BASE}/pwac`,
      headers: { ...oauthHeaders, 'content-type': 'application/json' },
      body: { data: { client, person } },
    });
  });
});
