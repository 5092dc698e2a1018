/**
 * Contract tests of the SmartRecruiters definition: the X-SmartToken key or customer OAuth client
 * credentials, cursor paging by nextPageId. Samples are trimmed from SmartRecruiters' docs:
 * https://developers.smartrecruiters.com/docs/authentication-api-key,
 * https://developers.smartrecruiters.com/docs/authentication-oauth-client-credential,
 * https://developers.smartrecruiters.com/docs/pagination,
 * https://dev.smartrecruiters.com/customer-api/candidate-api__trashed/endpoints/candidates-list/.
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

const def = shippedDefinition('smartrecruiters');
const account = { format: 'api_key' as const, credentials: { api_key: 'DCRA1-d0b1128084fb427ea' } };
const keyHeaders = { accept: 'application/json', 'x-smarttoken': 'DCRA1-d0b1128084fb427ea' };

describe('smartrecruiters contract', () => {
  it('checks the key with GET /configuration/company and keeps the company', () => {
    // The answer's field names are not confirmed in the docs read (see the definition's notes).
    const { requests, context } = postInstallRun(def, account, {
      company: { body: { identifier: 'AcmeCorp', name: 'Acme Corp' } },
    });
    expect(requests.company).toEqual({
      method: 'GET',
      url: 'https://api.smartrecruiters.com/configuration/company',
      headers: keyHeaders,
    });
    expect(context).toEqual({ companyIdentifier: 'AcmeCorp', companyName: 'Acme Corp' });
  });

  it('searches candidates with the documented query parameters', () => {
    const req = methodRequest(def, account, 'list_candidates', { q: 'developer', status: 'NEW', limit: 100 });
    expect(req).toEqual({
      method: 'GET',
      url: 'https://api.smartrecruiters.com/candidates?q=developer&status=NEW&limit=100',
      headers: keyHeaders,
    });
  });

  it('reads nextPageId and asks for that page, and stops without one', () => {
    // The list answer shape of https://developers.smartrecruiters.com/docs/pagination.
    const next = nextPage(def, 'list_candidates', {
      body: {
        limit: 1,
        nextPageId: '5fc4c5aa357d700efe2215ab',
        totalFound: 2,
        content: [{ id: '788dfc72-a6eb-441b-837f-d7c39efb3f04', firstName: 'Witek', lastName: 'Pulawski' }],
      },
    });
    expect(next).toEqual({ pageId: '5fc4c5aa357d700efe2215ab' });
    expect(methodRequest(def, account, 'list_candidates', { limit: 1, ...next }).url).toBe(
      'https://api.smartrecruiters.com/candidates?limit=1&pageId=5fc4c5aa357d700efe2215ab',
    );
    expect(
      nextPage(def, 'list_candidates', { body: { limit: 1, totalFound: 2, content: [{ id: 'x' }] } }),
    ).toBeUndefined();
  });

  it('gets one candidate by id', () => {
    expect(
      methodRequest(def, account, 'get_candidate', { id: '788dfc72-a6eb-441b-837f-d7c39efb3f04' }).url,
    ).toBe('https://api.smartrecruiters.com/candidates/788dfc72-a6eb-441b-837f-d7c39efb3f04');
  });

  it('creates a talent-pool candidate with the fields as the body', () => {
    const req = methodRequest(def, account, 'create_candidate', {
      firstName: 'Susan',
      lastName: 'Santos',
      email: 'susan.santos@example.com',
      location: { country: 'United States', city: 'San Francisco' },
    });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://api.smartrecruiters.com/candidates',
      headers: { ...keyHeaders, 'content-type': 'application/json' },
      body: {
        firstName: 'Susan',
        lastName: 'Santos',
        email: 'susan.santos@example.com',
        location: { country: 'United States', city: 'San Francisco' },
      },
    });
  });

  it('lists jobs and pages them', () => {
    expect(methodRequest(def, account, 'list_jobs', { q: 'java', limit: 10 }).url).toBe(
      'https://api.smartrecruiters.com/jobs?q=java&limit=10',
    );
    expect(nextPage(def, 'list_jobs', { body: { nextPageId: 'j-2', content: [{ id: 'j-1' }] } })).toEqual({
      pageId: 'j-2',
    });
  });

  it('puts a client-credentials access token in the Authorization header', () => {
    const req = methodRequest(
      def,
      {
        format: 'oauth2_client_credentials',
        credentials: { client_id: 'cid', client_secret: 'sec', access_token: 'tok' },
      },
      'list_jobs',
    );
    expect(req.headers).toEqual({ accept: 'application/json', authorization: 'Bearer tok' });
  });

  it('asks /identity/oauth/token for a client-credentials token with the client in the form body', async () => {
    const spec = authMethodOf(def, 'oauth2_client_credentials').oauth2;
    if (!spec) throw new Error('no oauth2 settings');
    let recorded: { url: string; headers: Headers; form: URLSearchParams } | undefined;
    const transport = (async (input: string | URL | Request, init?: RequestInit) => {
      recorded = {
        url: String(input instanceof Request ? input.url : input),
        headers: new Headers(init?.headers),
        form: new URLSearchParams(String(init?.body ?? '')),
      };
      // A standard token answer (RFC 6749 5.1); the guide's excerpt read shows only the request.
      return Response.json({
        access_token: 'DCRA1-d5c77a928320f57ef60329e7',
        token_type: 'Bearer',
        expires_in: 1800,
      });
    }) as typeof fetch;
    const endpoint = tokenEndpoint(spec, {}, { clientId: 'cid', clientSecret: 'sec' }, { transport });
    const response = await oauth.clientCredentialsGrantRequest(
      endpoint.as,
      endpoint.client,
      endpoint.clientAuth,
      new URLSearchParams(),
      endpoint.options(),
    );
    const tokens = await oauth.processClientCredentialsResponse(endpoint.as, endpoint.client, response);
    expect(recorded?.url).toBe('https://api.smartrecruiters.com/identity/oauth/token');
    expect(Object.fromEntries(recorded?.form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 'sec',
    });
    expect(recorded?.headers.get('authorization')).toBeNull();
    expect(tokens.access_token).toBe('DCRA1-d5c77a928320f57ef60329e7');
  });
});
