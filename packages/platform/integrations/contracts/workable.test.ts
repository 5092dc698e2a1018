/**
 * Contract tests of the Workable definition: a Bearer token on the account's own host
 * (https://{subdomain}.workable.com/spi/v3), partner OAuth, `paging.next` URLs. Samples are
 * trimmed from Workable's reference: https://workable.readme.io/reference/accounts,
 * https://workable.readme.io/reference/job-candidates-index, https://workable.readme.io/reference/jobs.
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

const def = shippedDefinition('workable');
const account = {
  format: 'api_key' as const,
  credentials: { subdomain: 'groove-tech', api_key: 'wk-token-1' },
};
const base = 'https://groove-tech.workable.com/spi/v3';

describe('workable contract', () => {
  it('checks the token with GET /spi/v3/accounts on the account host and keeps the account', () => {
    // The accounts answer of https://workable.readme.io/reference/accounts (description trimmed).
    const { requests, context } = postInstallRun(def, account, {
      accounts: {
        body: {
          accounts: [
            {
              id: '20ff5c50',
              name: 'Groove Tech',
              subdomain: 'groove-tech',
              description: '<p>We’ve all spent…</p>',
            },
          ],
        },
      },
    });
    expect(requests.accounts).toEqual({
      method: 'GET',
      url: `${base}/accounts`,
      headers: { accept: 'application/json', authorization: 'Bearer wk-token-1' },
    });
    expect(context).toEqual({ subdomain: 'groove-tech', accountId: '20ff5c50', accountName: 'Groove Tech' });
  });

  it('refuses a subdomain that would leave workable.com', () => {
    const field = def.authMethods[0]?.fields?.find((f) => f.name === 'subdomain');
    const pattern = new RegExp(field?.pattern ?? '');
    expect(pattern.test('groove-tech')).toBe(true);
    expect(pattern.test('evil.example.com/x')).toBe(false);
    expect(pattern.test('evil.com#')).toBe(false);
  });

  it('lists candidates of a job with filters in the query', () => {
    const req = methodRequest(def, account, 'list_candidates', {
      shortcode: 'GROOV005',
      stage: 'applied',
      limit: 50,
    });
    expect(req).toEqual({
      method: 'GET',
      url: `${base}/candidates?shortcode=GROOV005&stage=applied&limit=50`,
      headers: { accept: 'application/json', authorization: 'Bearer wk-token-1' },
    });
  });

  it('hands back paging.next and fetches it as it is', () => {
    // A candidates page of https://workable.readme.io/reference/job-candidates-index (trimmed).
    const next = nextPage(def, 'list_candidates', {
      body: {
        candidates: [
          { id: 'ce4da98', name: 'Lakita Marrero', job: { shortcode: 'GROOV005', title: 'Office Manager' } },
        ],
        paging: { next: 'https://groove-tech.workable.com/spi/v3/candidates?limit=50&since_id=ce4da99' },
      },
    });
    expect(next).toEqual({
      page_url: 'https://groove-tech.workable.com/spi/v3/candidates?limit=50&since_id=ce4da99',
    });
    const req = methodRequest(def, account, 'list_candidates', { ...next, stage: 'ignored' });
    expect(req.url).toBe('https://groove-tech.workable.com/spi/v3/candidates?limit=50&since_id=ce4da99');
    expect(nextPage(def, 'list_candidates', { body: { candidates: [{ id: 'last' }] } })).toBeUndefined();
  });

  it('refuses a next-page URL on another host', () => {
    expect(() =>
      methodRequest(def, account, 'list_candidates', {
        page_url: 'https://attacker.example/spi/v3/candidates',
      }),
    ).toThrow(/must stay on https:\/\/groove-tech\.workable\.com/);
  });

  it('lists published jobs and pages them', () => {
    expect(methodRequest(def, account, 'list_jobs', { state: 'published', limit: 100 }).url).toBe(
      `${base}/jobs?state=published&limit=100`,
    );
    expect(
      nextPage(def, 'list_jobs', {
        body: {
          jobs: [{ id: '61884e2', title: 'Sales Intern', shortcode: 'GROOV005', state: 'published' }],
          paging: { next: 'https://groove-tech.workable.com/spi/v3/jobs?limit=3&since_id=2700d6df' },
        },
      }),
    ).toEqual({ page_url: 'https://groove-tech.workable.com/spi/v3/jobs?limit=3&since_id=2700d6df' });
  });

  it('gets one candidate by id', () => {
    expect(methodRequest(def, account, 'get_candidate', { id: 'ce4da98' }).url).toBe(
      `${base}/candidates/ce4da98`,
    );
  });

  it('creates a candidate in a job with the documented body shape', () => {
    // https://workable.readme.io/reference/job-candidates-create: the candidate object and a root "sourced".
    const req = methodRequest(def, account, 'create_candidate', {
      shortcode: 'GROOV005',
      sourced: false,
      candidate: { name: 'Lakita Marrero', email: 'lakita_marrero@gmail.com', phone: '3547854' },
    });
    expect(req).toEqual({
      method: 'POST',
      url: `${base}/jobs/GROOV005/candidates`,
      headers: {
        accept: 'application/json',
        authorization: 'Bearer wk-token-1',
        'content-type': 'application/json',
      },
      body: {
        sourced: false,
        candidate: { name: 'Lakita Marrero', email: 'lakita_marrero@gmail.com', phone: '3547854' },
      },
    });
  });

  it('starts partner OAuth at www.workable.com with the three scopes', async () => {
    const url = await authorizeUrl(def, { subdomain: 'groove-tech' });
    expect(url.origin + url.pathname).toBe('https://www.workable.com/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('r_jobs r_candidates w_candidates');
    // URLSearchParams writes the spaces as '+', the separator of Workable's authorize URLs.
    expect(url.search).toContain('scope=r_jobs+r_candidates+w_candidates');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('response_type')).toBe('code');
  });

  it('exchanges the code at www.workable.com with the client in the body and keeps the tokens', async () => {
    const { request, credentials } = await tokenExchange(
      def,
      {
        body: {
          access_token: 'wk-access',
          token_type: 'Bearer',
          refresh_token: 'wk-refresh',
          expires_in: 7200,
          scope: 'r_jobs r_candidates w_candidates',
        },
      },
      { subdomain: 'groove-tech' },
    );
    expect(request.url).toBe('https://www.workable.com/oauth/token');
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(request.headers.authorization).toBeUndefined();
    expect(credentials).toEqual({
      subdomain: 'groove-tech',
      access_token: 'wk-access',
      refresh_token: 'wk-refresh',
      expires_in: 7200,
    });
  });

  it('puts the OAuth access token on calls to the account host', () => {
    const req = methodRequest(
      def,
      { format: 'oauth2', credentials: { subdomain: 'groove-tech', access_token: 'wk-access' } },
      'list_jobs',
    );
    expect(req.url).toBe(`${base}/jobs`);
    expect(req.headers.authorization).toBe('Bearer wk-access');
  });
});
