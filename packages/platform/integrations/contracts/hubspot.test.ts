/**
 * Contract tests of the HubSpot definition: OAuth at app.hubspot.com / api.hubapi.com, the
 * date-versioned (2026-03) account and CRM objects APIs, search as a POST that only reads, and
 * cursor paging by `paging.next.after`. Samples are trimmed from HubSpot's reference:
 * https://developers.hubspot.com/docs/api-reference/latest/account/account-information/guide,
 * https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm,
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/refresh-oauth-token.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  methodOf,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('hubspot');
const account = { credentials: { access_token: 'hs-access' } };
const headers = { accept: 'application/json', authorization: 'Bearer hs-access' };

describe('hubspot contract', () => {
  it('reads the account details and keeps portal, time zone, currency and hosting location', () => {
    // The account details answer of the account information guide.
    const { requests, context } = postInstallRun(def, account, {
      account_details: {
        body: {
          portalId: 123456,
          accountType: 'STANDARD',
          timeZone: 'US/Eastern',
          companyCurrency: 'USD',
          additionalCurrencies: ['EUR'],
          utcOffset: '-05:00',
          utcOffsetMilliseconds: -18000000,
          uiDomain: 'app.hubspot.com',
          dataHostingLocation: 'na1',
        },
      },
    });
    expect(requests.account_details).toEqual({
      method: 'GET',
      url: 'https://api.hubapi.com/account-info/2026-03/details',
      headers,
    });
    expect(context).toEqual({
      portalId: 123456,
      timeZone: 'US/Eastern',
      companyCurrency: 'USD',
      dataHostingLocation: 'na1',
      uiDomain: 'app.hubspot.com',
    });
  });

  it('sends people to app.hubspot.com with the space-separated scopes and PKCE', async () => {
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe(
      'oauth crm.objects.contacts.read crm.objects.contacts.write crm.objects.companies.read crm.objects.companies.write crm.objects.deals.read crm.objects.deals.write',
    );
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('redirect_uri')).toBe('https://connect.example.com/link/oauth/callback');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('exchanges the code at api.hubapi.com/oauth/v1/token with the client in the form body', async () => {
    const { request, credentials } = await tokenExchange(def, {
      body: {
        token_type: 'bearer',
        refresh_token: 'hs-refresh',
        access_token: 'hs-access',
        expires_in: 1800,
        hub_id: 123456,
      },
    });
    expect(request.url).toBe('https://api.hubapi.com/oauth/v1/token');
    expect(request.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-789',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      code_verifier: 'v'.repeat(43),
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(request.headers.authorization).toBeUndefined();
    expect(credentials).toEqual({ access_token: 'hs-access', refresh_token: 'hs-refresh', expires_in: 1800 });
  });

  it('lists contacts with limit, properties and the after cursor', () => {
    const req = methodRequest(def, account, 'list_objects', {
      objectType: 'contacts',
      limit: 100,
      after: '101',
      properties: 'firstname,lastname,email',
    });
    expect(req).toEqual({
      method: 'GET',
      url: 'https://api.hubapi.com/crm/objects/2026-03/contacts?limit=100&after=101&properties=firstname%2Clastname%2Cemail',
      headers,
    });
  });

  it('reads paging.next.after, and stops on the last page', () => {
    // The paged answer shape of the search guide (trimmed).
    const page = {
      total: 2,
      paging: { next: { after: 'NTI1Cg%3D%3D', link: '?after=NTI1Cg%3D%3D' } },
      results: [{ id: '512', properties: { email: 'a@example.com' }, archived: false }],
    };
    expect(nextPage(def, 'list_objects', { body: page })).toEqual({ after: 'NTI1Cg%3D%3D' });
    expect(nextPage(def, 'search_objects', { body: page })).toEqual({ after: 'NTI1Cg%3D%3D' });
    expect(nextPage(def, 'list_objects', { body: { results: [{ id: '513' }] } })).toBeUndefined();
  });

  it('searches with a POST body as documented and marks it read-only', () => {
    const filterGroups = [
      { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@hubspot.com' }] },
    ];
    const req = methodRequest(def, account, 'search_objects', {
      objectType: 'contacts',
      filterGroups,
      properties: ['email', 'firstname'],
      limit: 50,
      after: '50',
    });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://api.hubapi.com/crm/objects/2026-03/contacts/search',
      headers: { ...headers, 'content-type': 'application/json' },
      body: { filterGroups, properties: ['email', 'firstname'], limit: 50, after: '50' },
    });
    expect(methodOf(def, 'search_objects').readOnly).toBe(true);
  });

  it('gets one deal with properties and associations', () => {
    expect(
      methodRequest(def, account, 'get_object', {
        objectType: 'deals',
        objectId: '9001',
        properties: 'dealname,amount',
        associations: 'companies',
      }).url,
    ).toBe(
      'https://api.hubapi.com/crm/objects/2026-03/deals/9001?properties=dealname%2Camount&associations=companies',
    );
  });

  it('creates a contact with a properties object', () => {
    const req = methodRequest(def, account, 'create_object', {
      objectType: 'contacts',
      properties: { email: 'example@hubspot.com', firstname: 'Jane', lastname: 'Doe' },
    });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.hubapi.com/crm/objects/2026-03/contacts');
    expect(req.body).toEqual({
      properties: { email: 'example@hubspot.com', firstname: 'Jane', lastname: 'Doe' },
    });
  });

  it('updates a record with PATCH and only the given properties', () => {
    const req = methodRequest(def, account, 'update_object', {
      objectType: 'companies',
      objectId: '77',
      properties: { domain: 'example.com' },
    });
    expect(req.method).toBe('PATCH');
    expect(req.url).toBe('https://api.hubapi.com/crm/objects/2026-03/companies/77');
    expect(req.body).toEqual({ properties: { domain: 'example.com' } });
  });

  it('keeps an object type argument inside the path', () => {
    const req = methodRequest(def, account, 'list_objects', { objectType: '../../oauth/v1/token' });
    expect(new URL(req.url).pathname).toBe('/crm/objects/2026-03/..%2F..%2Foauth%2Fv1%2Ftoken');
  });
});
