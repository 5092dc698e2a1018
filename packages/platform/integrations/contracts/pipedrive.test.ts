/**
 * Contract tests of the Pipedrive definition: OAuth at oauth.pipedrive.com (Basic client
 * authentication, no PKCE, `api_domain` from the token answer) or a personal API token, the
 * company's own API host, API v2 deals and persons with cursor paging. Samples are trimmed from
 * Pipedrive's docs: https://developers.pipedrive.com/docs/api/v1/Oauth,
 * https://pipedrive.readme.io/docs/marketplace-getting-user-data,
 * https://pipedrive.readme.io/docs/core-api-concepts-pagination.
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

const def = shippedDefinition('pipedrive');
const oauthAccount = {
  format: 'oauth2' as const,
  credentials: { access_token: 'pd-access', api_domain: 'https://casinoroyale.pipedrive.com' },
};
const tokenAccount = {
  format: 'api_key' as const,
  credentials: { api_domain: 'https://casinoroyale.pipedrive.com', api_token: 'pd-token' },
};
const headers = { accept: 'application/json', authorization: 'Bearer pd-access' };

describe('pipedrive contract', () => {
  it('starts OAuth at oauth.pipedrive.com without scopes or PKCE', async () => {
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://oauth.pipedrive.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('redirect_uri')).toBe('https://connect.example.com/link/oauth/callback');
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('exchanges the code with HTTP Basic client authentication and keeps api_domain', async () => {
    // The token answer of https://developers.pipedrive.com/docs/api/v1/Oauth (trimmed).
    const { request, credentials } = await tokenExchange(def, {
      body: {
        access_token: 'v1:pd-access',
        token_type: 'Bearer',
        refresh_token: 'pd-refresh',
        scope: 'base,deals:full',
        expires_in: 3599,
        api_domain: 'https://casinoroyale.pipedrive.com',
      },
    });
    expect(request.url).toBe('https://oauth.pipedrive.com/oauth/token');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('client-123:secret-456').toString('base64')}`,
    );
    expect(request.form.grant_type).toBe('authorization_code');
    expect(request.form.code).toBe('code-789');
    expect(request.form.redirect_uri).toBe('https://connect.example.com/link/oauth/callback');
    expect(request.form.client_secret).toBeUndefined();
    // No challenge went out (pkce: false), so no verifier goes back.
    expect(request.form.code_verifier).toBeUndefined();
    expect(credentials).toEqual({
      access_token: 'v1:pd-access',
      refresh_token: 'pd-refresh',
      expires_in: 3599,
      api_domain: 'https://casinoroyale.pipedrive.com',
    });
  });

  it('keeps api_domain only on pipedrive.com', () => {
    const oauth = def.authMethods.find((m) => m.format === 'oauth2')?.oauth2;
    const pattern = new RegExp(
      oauth?.tokenResponseFields?.find((f) => f.name === 'api_domain')?.pattern ?? '',
    );
    expect(pattern.test('https://casinoroyale.pipedrive.com')).toBe(true);
    for (const bad of [
      'https://pipedrive.com.evil.example',
      'http://casinoroyale.pipedrive.com',
      'https://evil.example/x.pipedrive.com',
      'https://casinoroyale.pipedrive.com/../',
      'https://a.b.pipedrive.com',
    ]) {
      expect(pattern.test(bad)).toBe(false);
    }
    // The API-token method's typed company address is held to the same pattern.
    const typed = def.authMethods
      .find((m) => m.format === 'api_key')
      ?.fields?.find((f) => f.name === 'api_domain');
    expect(typed?.pattern).toBe(oauth?.tokenResponseFields?.find((f) => f.name === 'api_domain')?.pattern);
  });

  it('checks the token with GET /v1/users/me on the company host and keeps the company', () => {
    // The /users/me answer of https://pipedrive.readme.io/docs/marketplace-getting-user-data (trimmed).
    const { requests, context } = postInstallRun(def, oauthAccount, {
      users_me: {
        body: {
          success: true,
          data: {
            id: 777,
            name: 'James Bond',
            email: 'james@example.com',
            company_id: 1,
            company_name: 'MI6',
            company_domain: 'casinoroyale',
            company_country: 'EE',
          },
        },
      },
    });
    expect(requests.users_me).toEqual({
      method: 'GET',
      url: 'https://casinoroyale.pipedrive.com/api/v1/users/me',
      headers,
    });
    expect(context).toEqual({
      company_id: 1,
      company_domain: 'casinoroyale',
      company_name: 'MI6',
      user_id: 777,
      api_domain: 'https://casinoroyale.pipedrive.com',
    });
  });

  it('sends a personal API token as the api_token query parameter', () => {
    const req = methodRequest(def, tokenAccount, 'get_deal', { id: 42 });
    expect(req).toEqual({
      method: 'GET',
      url: 'https://casinoroyale.pipedrive.com/api/v2/deals/42?api_token=pd-token',
      headers: { accept: 'application/json' },
    });
  });

  it('lists deals with v2 filters and the cursor', () => {
    const req = methodRequest(def, oauthAccount, 'list_deals', {
      status: 'open',
      limit: 500,
      cursor: 'eyJkZWFsIjo0Mn0',
      pipeline_id: 1,
    });
    expect(req).toEqual({
      method: 'GET',
      url: 'https://casinoroyale.pipedrive.com/api/v2/deals?limit=500&cursor=eyJkZWFsIjo0Mn0&status=open&pipeline_id=1',
      headers,
    });
  });

  it('reads additional_data.next_cursor, and stops when it is null', () => {
    // The cursor-paginated answer shape of https://pipedrive.readme.io/docs/core-api-concepts-pagination.
    expect(
      nextPage(def, 'list_deals', {
        body: {
          success: true,
          data: [{ id: 1, title: 'New name for a great deal', value: 1000000, currency: 'EUR' }],
          additional_data: { next_cursor: 'eyJhY3Rpdml0eSI6NDJ9' },
        },
      }),
    ).toEqual({ cursor: 'eyJhY3Rpdml0eSI6NDJ9' });
    expect(
      nextPage(def, 'list_persons', {
        body: { success: true, data: [], additional_data: { next_cursor: null } },
      }),
    ).toBeUndefined();
  });

  it('searches deals by term', () => {
    expect(
      methodRequest(def, oauthAccount, 'search_deals', { term: 'great deal', exact_match: true }).url,
    ).toBe('https://casinoroyale.pipedrive.com/api/v2/deals/search?term=great+deal&exact_match=true');
  });

  it('creates a deal with the fields as the JSON body', () => {
    const req = methodRequest(def, oauthAccount, 'create_deal', {
      title: 'New deal',
      value: 1000,
      currency: 'EUR',
      person_id: 47,
    });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://casinoroyale.pipedrive.com/api/v2/deals',
      headers: { ...headers, 'content-type': 'application/json' },
      body: { title: 'New deal', value: 1000, currency: 'EUR', person_id: 47 },
    });
  });

  it('lists persons and creates one', () => {
    expect(methodRequest(def, oauthAccount, 'list_persons', { org_id: 1234, limit: 50 }).url).toBe(
      'https://casinoroyale.pipedrive.com/api/v2/persons?limit=50&org_id=1234',
    );
    const req = methodRequest(def, oauthAccount, 'create_person', {
      name: 'Will Smith',
      emails: [{ value: 'will@example.com', primary: true, label: 'work' }],
    });
    expect(req.url).toBe('https://casinoroyale.pipedrive.com/api/v2/persons');
    expect(req.body).toEqual({
      name: 'Will Smith',
      emails: [{ value: 'will@example.com', primary: true, label: 'work' }],
    });
  });
});
