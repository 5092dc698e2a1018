/**
 * Contract tests of the Lever definition against Lever's documented requests and answers
 * (hire.lever.co/developer), with no network.
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

const def = shippedDefinition('lever');
const oauthAccount = { format: 'oauth2' as const, credentials: { access_token: 'lever-token' } };
const keyAccount = { format: 'basic' as const, credentials: { api_key: 'lever-api-key' } };
const oauthHeaders = { accept: 'application/json', authorization: 'Bearer lever-token' };
const BASE = 'https://api.lever.co/v1';

// Opportunity attributes of https://hire.lever.co/developer/deprecated (its example values, trimmed)
const opportunity = {
  id: '250d8f03-738a-4bba-a671-8a3d73477145',
  name: 'Shane Smith',
  headline: 'Brickly LLC, Vandelay Industries, Inc, Central Perk',
  contact: '7f23e772-d2f9-4210-8c9c-ac1f29e1d2b6',
  emails: ['shane@exampleq3.com'],
  stage: '00922a60-7c15-422b-b086-f62000824fd7',
  origin: 'sourced',
  createdAt: 1407460071043,
};
const nextToken = '%5B1407460071043%2C%22250d8f03-738a-4bba-a671-8a3d73477145%22%5D';

describe('lever contract', () => {
  it('authorizes at auth.lever.co with the API audience, consent prompt and scopes', async () => {
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://auth.lever.co/authorize');
    expect(url.searchParams.get('audience')).toBe('https://api.lever.co/v1/');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')).toBe(
      'offline_access opportunities:read:admin opportunities:write:admin postings:read:admin users:read:admin',
    );
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('exchanges the code at auth.lever.co/oauth/token with the client secret in the body', async () => {
    const { request, credentials } = await tokenExchange(def, {
      body: {
        access_token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lever',
        refresh_token: 'DOOIm_5oZhqtkZmLwsFJudu4kBxSIdgMsKrxr_2QZZ9ia',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'offline_access opportunities:read:admin',
      },
    });
    expect(request.url).toBe('https://auth.lever.co/oauth/token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({
      access_token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lever',
      refresh_token: 'DOOIm_5oZhqtkZmLwsFJudu4kBxSIdgMsKrxr_2QZZ9ia',
      expires_in: 3600,
    });
  });

  it('an API key goes as the Basic user name with an empty password', () => {
    const { requests } = postInstallRun(def, keyAccount, { users: { body: { data: [], hasNext: false } } });
    expect(requests.users).toEqual({
      method: 'GET',
      url: `${BASE}/users?limit=1`,
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from('lever-api-key:').toString('base64')}`,
      },
    });
  });

  it('list_opportunities sends limit, filters and the offset token', () => {
    expect(
      methodRequest(def, oauthAccount, 'list_opportunities', {
        limit: 50,
        posting_id: 'p-1',
        archived: false,
      }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/opportunities?limit=50&posting_id=p-1&archived=false`,
      headers: oauthHeaders,
    });
    expect(methodRequest(def, oauthAccount, 'list_opportunities', { offset: nextToken }).url).toBe(
      `${BASE}/opportunities?offset=${encodeURIComponent(nextToken)}`,
    );
  });

  it('list_opportunities reads next while hasNext is true', () => {
    expect(
      nextPage(def, 'list_opportunities', { body: { data: [opportunity], hasNext: true, next: nextToken } }),
    ).toEqual({
      offset: nextToken,
    });
    expect(
      nextPage(def, 'list_opportunities', { body: { data: [opportunity], hasNext: false } }),
    ).toBeUndefined();
  });

  it('get_opportunity reads one opportunity', () => {
    expect(
      methodRequest(def, oauthAccount, 'get_opportunity', {
        opportunity_id: opportunity.id,
        expand: 'stage',
      }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/opportunities/${opportunity.id}?expand=stage`,
      headers: oauthHeaders,
    });
  });

  it('create_opportunity posts as the perform_as user', () => {
    // Fields of https://hire.lever.co/developer/documentation#create-an-opportunity; values illustrative
    const body = {
      name: 'Shane Smith',
      headline: 'Brickly LLC, Vandelay Industries, Inc, Central Perk',
      emails: ['shane@exampleq3.com'],
      phones: [{ value: '(123) 456-7891' }],
      location: 'Oakland',
      links: ['indeed.com/r/Shane-Smith/0b9a1bd1c1e6f3fd'],
      tags: ['San Francisco', 'Full-time'],
      sources: ['linkedin'],
      origin: 'sourced',
      postings: ['f2f01e16-27f8-4711-a728-7d49499795a0'],
    };
    expect(methodRequest(def, oauthAccount, 'create_opportunity', { perform_as: 'user-1', ...body })).toEqual(
      {
        method: 'POST',
        url: `${BASE}/opportunities?perform_as=user-1`,
        headers: { ...oauthHeaders, 'content-type': 'application/json' },
        body,
      },
    );
  });

  it('list_postings filters by state and pages the same way', () => {
    expect(methodRequest(def, keyAccount, 'list_postings', { state: 'published', limit: 100 }).url).toBe(
      `${BASE}/postings?limit=100&state=published`,
    );
    expect(
      nextPage(def, 'list_postings', { body: { data: [{ id: 'x' }], hasNext: true, next: 'tok' } }),
    ).toEqual({
      offset: 'tok',
    });
  });
});
