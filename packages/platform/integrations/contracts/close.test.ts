/**
 * Contract tests of the Close definition against Close's documented requests and answers
 * (OAuth or an API key as the Basic username, offset and cursor paging). No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  throttleOf,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('close');
const oauth = { format: 'oauth2' as const, credentials: { access_token: 'ACCESS_TOKEN' } };
const apiKey = { format: 'basic' as const, credentials: { api_key: 'yourapikey' } };
const bearer = { accept: 'application/json', authorization: 'Bearer ACCESS_TOKEN' };

describe('close contract', () => {
  it('sends the person to the documented authorize URL without scopes (Close grants them)', async () => {
    // https://developer.close.com/api/overview/oauth-authentication
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://app.close.com/oauth2/authorize/');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.has('scope')).toBe(false);
  });

  it('exchanges the code with the client secret in the form and keeps the organization and user', async () => {
    // Sample token answer: https://developer.close.com/api/overview/oauth-authentication
    const { request, credentials } = await tokenExchange(def, {
      body: {
        token_type: 'Bearer',
        access_token: 'ACCESS_TOKEN',
        expires_in: 3600,
        refresh_token: 'REFRESH_TOKEN',
        scope: 'all.full_access offline_access',
        organization_id: 'ORGANIZATION_ID',
        user_id: 'USER_ID',
      },
    });
    expect(request.url).toBe('https://api.close.com/oauth2/token/');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({
      access_token: 'ACCESS_TOKEN',
      refresh_token: 'REFRESH_TOKEN',
      expires_in: 3600,
      organization_id: 'ORGANIZATION_ID',
      user_id: 'USER_ID',
    });
  });

  it('checks an API key with GET /v1/me/, key as Basic username and empty password', () => {
    // https://developer.close.com/api/overview/api-key-authentication: `Authorization: Basic eW91cmFwaWtleTo=`
    const { requests, context } = postInstallRun(def, apiKey, {
      me: {
        body: {
          id: 'user_scOgjLAQD6aBSJYBVhIeNr4FJDp8Sl7RvSjhNEXIVJn',
          email: 'jane@example.com',
          first_name: 'Jane',
          organizations: [{ id: 'orga_bwwWG475zqWiQGur0thQshwVXo8rIYecQHDWFanqhen', name: 'Acme Sales' }],
        },
      },
    });
    expect(requests.me).toEqual({
      method: 'GET',
      url: 'https://api.close.com/api/v1/me/',
      headers: { accept: 'application/json', authorization: 'Basic eW91cmFwaWtleTo=' },
    });
    expect(context).toEqual({
      user_id: 'user_scOgjLAQD6aBSJYBVhIeNr4FJDp8Sl7RvSjhNEXIVJn',
      organization_id: 'orga_bwwWG475zqWiQGur0thQshwVXo8rIYecQHDWFanqhen',
      organization_name: 'Acme Sales',
    });
  });

  it('lists leads with _limit/_skip and reads the next offset from has_more', () => {
    // https://developer.close.com/api/overview/pagination
    expect(
      methodRequest(def, oauth, 'list_leads', { limit: 100, skip: 100, fields: 'id,display_name' }),
    ).toEqual({
      method: 'GET',
      url: 'https://api.close.com/api/v1/lead/?_limit=100&_skip=100&_fields=id%2Cdisplay_name',
      headers: bearer,
    });
    const page = { data: [{ id: 'lead_1' }, { id: 'lead_2' }], has_more: true };
    expect(nextPage(def, 'list_leads', { body: page }, { limit: 2, skip: 100 })).toEqual({ skip: 102 });
    expect(nextPage(def, 'list_leads', { body: { ...page, has_more: false } }, { limit: 2 })).toBeUndefined();
  });

  it('gets one lead by id', () => {
    expect(
      methodRequest(def, oauth, 'get_lead', { id: 'lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O' }),
    ).toEqual({
      method: 'GET',
      url: 'https://api.close.com/api/v1/lead/lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O/',
      headers: bearer,
    });
  });

  it('searches with the Advanced Filtering body and pages by cursor', () => {
    // Body and answer: https://developer.close.com/resources/advanced-filtering
    const query = {
      type: 'and',
      queries: [
        { type: 'object_type', object_type: 'contact' },
        {
          type: 'field_condition',
          field: { type: 'regular_field', object_type: 'contact', field_name: 'title' },
          condition: { type: 'text', mode: 'full_words', value: 'CEO' },
        },
      ],
    };
    expect(methodRequest(def, oauth, 'search_leads', { query, limit: 50, cursor: 'abc' })).toEqual({
      method: 'POST',
      url: 'https://api.close.com/api/v1/data/search/',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: { query, _limit: 50, cursor: 'abc' },
    });
    expect(def.methods?.find((m) => m.name === 'search_leads')?.readOnly).toBe(true);
    const answer = {
      data: [{ __object_type: 'contact', id: 'cont_PtENYt1P6sRWkcnqoGnIj6hcZammGPdVbTXJWqdTvpV' }],
      cursor: 'eyJza2lwIjoxMDB9',
    };
    expect(nextPage(def, 'search_leads', { body: answer })).toEqual({ cursor: 'eyJza2lwIjoxMDB9' });
    expect(nextPage(def, 'search_leads', { body: { ...answer, cursor: null } })).toBeUndefined();
  });

  it('creates a lead with nested contacts as the JSON body', () => {
    const contacts = [
      { name: 'Gob', title: 'Sr. Vice President', emails: [{ type: 'office', email: 'gob@example.com' }] },
    ];
    expect(
      methodRequest(def, apiKey, 'create_lead', {
        name: 'Bluth Company',
        url: 'http://thebluthcompany.tumblr.com/',
        contacts,
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://api.close.com/api/v1/lead/',
      headers: {
        accept: 'application/json',
        authorization: 'Basic eW91cmFwaWtleTo=',
        'content-type': 'application/json',
      },
      body: { name: 'Bluth Company', url: 'http://thebluthcompany.tumblr.com/', contacts },
    });
  });

  it('lists a lead’s won opportunities', () => {
    expect(
      methodRequest(def, oauth, 'list_opportunities', { lead_id: 'lead_1', status_type: 'won', limit: 50 })
        .url,
    ).toBe('https://api.close.com/api/v1/opportunity/?lead_id=lead_1&status_type=won&_limit=50');
  });

  it('adds a note activity to a lead', () => {
    // https://developer.close.com/api/resources/activities/notes/create
    expect(
      methodRequest(def, oauth, 'create_note', {
        lead_id: 'lead_s6vHFTK1TSRoH6otXOexWDO9jM4xyb1kELHDoU7Fdsp',
        note_html: '<p>Called, <b>interested</b></p>',
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://api.close.com/api/v1/activity/note/',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: {
        lead_id: 'lead_s6vHFTK1TSRoH6otXOexWDO9jM4xyb1kELHDoU7Fdsp',
        note_html: '<p>Called, <b>interested</b></p>',
      },
    });
  });
});

describe('close rate limits', () => {
  // https://developer.close.com/api/overview/rate-limits: one structured RateLimit header.
  it("a 429 without Retry-After is waited out by the RateLimit header's reset", () => {
    const headers = { RateLimit: 'limit=160, remaining=0, reset=3' };
    expect(throttleOf(def, { status: 429, headers })).toEqual({ waitMs: 3000, retry: true });
  });
  it('a long reset is reported, not waited for', () => {
    const headers = { RateLimit: 'limit=160, remaining=0, reset=30' };
    expect(throttleOf(def, { status: 429, headers })).toEqual({ waitMs: 30_000, retry: false });
  });
});
