/**
 * Contract tests of the Attio definition against Attio's documented requests and answers
 * (OAuth with app-set scopes and non-expiring tokens, or a Bearer access token). No network.
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

const def = shippedDefinition('attio');
const oauth = { format: 'oauth2' as const, credentials: { access_token: 'attio-oauth-token' } };
const apiKey = { format: 'api_key' as const, credentials: { api_key: 'attio-api-key' } };
const bearer = { accept: 'application/json', authorization: 'Bearer attio-oauth-token' };
const json = { ...bearer, 'content-type': 'application/json' };

describe('attio contract', () => {
  it('sends the person to app.attio.com/authorize with no scope and no PKCE', async () => {
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://app.attio.com/authorize');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('redirect_uri')).toBe('https://connect.example.com/link/oauth/callback');
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('exchanges the code with the client secret in the form; the token has no refresh or expiry', async () => {
    // Token answer: https://docs.attio.com/docs/oauth/token
    const { request, credentials } = await tokenExchange(def, {
      body: { access_token: 'attio-oauth-token', token_type: 'Bearer' },
    });
    expect(request.url).toBe('https://app.attio.com/oauth/token');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({ access_token: 'attio-oauth-token' });
  });

  it('identifies the token with GET /v2/self and keeps the workspace', () => {
    // Fields of the Identify answer: https://docs.attio.com/rest-api/endpoint-reference/meta/identify
    const { requests, context } = postInstallRun(def, apiKey, {
      self: {
        body: {
          active: true,
          scope: 'record_permission:read object_configuration:read',
          client_id: 'e8a6e0c2-7d0e-4e1e-9d0b-5d1c2c4c7f11',
          token_type: 'Bearer',
          workspace_id: '14beef7a-99f7-4534-a87e-70b564330a4c',
          workspace_name: 'Salarya',
          workspace_slug: 'salarya',
          workspace_logo_url: null,
        },
      },
    });
    expect(requests.self).toEqual({
      method: 'GET',
      url: 'https://api.attio.com/v2/self',
      headers: { accept: 'application/json', authorization: 'Bearer attio-api-key' },
    });
    expect(context).toEqual({
      workspace_id: '14beef7a-99f7-4534-a87e-70b564330a4c',
      workspace_slug: 'salarya',
      workspace_name: 'Salarya',
    });
  });

  it('queries records with the documented body, marked read-only, and pages by offset', () => {
    // Request and answer: https://docs.attio.com/rest-api/endpoint-reference/records/list-records
    const args = {
      object: 'people',
      filter: { name: 'Ada Lovelace' },
      sorts: [{ direction: 'asc', attribute: 'name', field: 'last_name' }],
      limit: 2,
      offset: 0,
    };
    expect(methodRequest(def, oauth, 'query_records', args)).toEqual({
      method: 'POST',
      url: 'https://api.attio.com/v2/objects/people/records/query',
      headers: json,
      body: { filter: args.filter, sorts: args.sorts, limit: 2, offset: 0 },
    });
    expect(def.methods?.find((m) => m.name === 'query_records')?.readOnly).toBe(true);
    const record = {
      id: {
        workspace_id: '14beef7a-99f7-4534-a87e-70b564330a4c',
        object_id: '97052eb9-e65e-443f-a297-f2d9a4a7f795',
        record_id: 'bf071e1f-6035-429d-b874-d83ea64ea13b',
      },
      created_at: '2022-11-21T13:22:49.061281000Z',
      web_url: 'https://app.attio.com/salarya/person/bf071e1f-6035-429d-b874-d83ea64ea13b',
      values: {},
    };
    expect(
      nextPage(def, 'query_records', { body: { data: [record, record] } }, { limit: 2, offset: 4 }),
    ).toEqual({
      offset: 6,
    });
    expect(
      nextPage(def, 'query_records', { body: { data: [record] } }, { limit: 2, offset: 6 }),
    ).toBeUndefined();
  });

  it('gets one record', () => {
    expect(
      methodRequest(def, oauth, 'get_record', {
        object: 'companies',
        record_id: 'bf071e1f-6035-429d-b874-d83ea64ea13b',
      }),
    ).toEqual({
      method: 'GET',
      url: 'https://api.attio.com/v2/objects/companies/records/bf071e1f-6035-429d-b874-d83ea64ea13b',
      headers: bearer,
    });
  });

  it('creates a record with values under data', () => {
    const values = { name: 'Acme', domains: ['acme.com'] };
    expect(methodRequest(def, oauth, 'create_record', { object: 'companies', values })).toEqual({
      method: 'POST',
      url: 'https://api.attio.com/v2/objects/companies/records',
      headers: json,
      body: { data: { values } },
    });
  });

  it('creates a note under data as the docs show', () => {
    // https://docs.attio.com/rest-api/endpoint-reference/notes/create-a-note
    const note = {
      parent_object: 'people',
      parent_record_id: '891dcbfc-9141-415d-9b2a-2238a6cc012d',
      title: 'Initial Prospecting Call Summary',
      format: 'markdown',
      content: '# Meeting Recap: Q4 Planning\n\n- Reviewed Q3 performance metrics.',
    };
    expect(methodRequest(def, oauth, 'create_note', note)).toEqual({
      method: 'POST',
      url: 'https://api.attio.com/v2/notes',
      headers: json,
      body: { data: note },
    });
  });
});
