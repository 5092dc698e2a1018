/**
 * Contract tests of the Linear definition against Linear's documented requests and answers
 * (GraphQL at one POST endpoint, comma-separated OAuth scopes, Relay cursor paging, GraphQL
 * errors in a 200 body). No network.
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
  throttleOf,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('linear');
const oauth = { format: 'oauth2' as const, credentials: { access_token: 'lin_oauth_token' } };
const apiKey = { format: 'api_key' as const, credentials: { api_key: 'lin_api_0123456789abcdef' } };
const graphql = 'https://api.linear.app/graphql';
const oauthHeaders = {
  accept: 'application/json',
  authorization: 'Bearer lin_oauth_token',
  'content-type': 'application/json',
};

/** The GraphQL document a method sends, for checking it names the operation the docs show. */
function queryOf(name: string): string {
  const body = methodOf(def, name).request.body as { query: string };
  return body.query;
}

describe('linear contract', () => {
  it('sends the person to linear.app with comma-separated scopes, consent and PKCE', async () => {
    // https://linear.app/developers/oauth-2-0-authentication
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://linear.app/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('read,write,issues:create,comments:create');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('exchanges the code at api.linear.app/oauth/token and keeps the refresh token', async () => {
    // Token answer as on https://linear.app/developers/oauth-2-0-authentication; `scope` comes as
    // a JSON array, which the exchange joins (RFC 6749 and oauth4webapi want a string).
    const { request, credentials } = await tokenExchange(def, {
      body: {
        access_token: '00a21d8b0c4e2375114e49c067dfb81eb0d2076f48354714cd5df984d87b67cc',
        token_type: 'Bearer',
        expires_in: 86399,
        scope: ['read', 'write', 'issues:create', 'comments:create'],
        refresh_token: 'rt_7b1c2f0e4d2a4c8fa7b3',
      },
    });
    expect(request.url).toBe('https://api.linear.app/oauth/token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      code_verifier: 'v'.repeat(43),
    });
    expect(credentials).toEqual({
      access_token: '00a21d8b0c4e2375114e49c067dfb81eb0d2076f48354714cd5df984d87b67cc',
      refresh_token: 'rt_7b1c2f0e4d2a4c8fa7b3',
      expires_in: 86399,
    });
  });

  it('verifies with a viewer/organization query, the personal key sent without Bearer', () => {
    // https://linear.app/developers/graphql (personal API keys: `Authorization: <API_KEY>`)
    const { requests, context } = postInstallRun(def, apiKey, {
      organization: {
        body: {
          data: {
            viewer: { id: '2e7c7e0c-5b8f-4c57-9c84-9d1b4d3c0a11', name: 'Jane Doe', email: 'jane@acme.com' },
            organization: { id: 'e4f5c6a7-1b2c-4d3e-8f90-a1b2c3d4e5f6', name: 'Acme', urlKey: 'acme' },
          },
        },
      },
    });
    expect(requests.organization).toEqual({
      method: 'POST',
      url: graphql,
      headers: {
        accept: 'application/json',
        authorization: 'lin_api_0123456789abcdef',
        'content-type': 'application/json',
      },
      body: { query: 'query { viewer { id name email } organization { id name urlKey } }' },
    });
    expect(context).toEqual({
      organizationId: 'e4f5c6a7-1b2c-4d3e-8f90-a1b2c3d4e5f6',
      urlKey: 'acme',
      organizationName: 'Acme',
      viewerId: '2e7c7e0c-5b8f-4c57-9c84-9d1b4d3c0a11',
    });
  });

  it('lists issues with variables from the arguments, leaving absent ones out, as a read-only POST', () => {
    const filter = { team: { key: { eq: 'ENG' } } };
    expect(methodRequest(def, oauth, 'list_issues', { first: 20, filter })).toEqual({
      method: 'POST',
      url: graphql,
      headers: oauthHeaders,
      body: { query: queryOf('list_issues'), variables: { first: 20, filter } },
    });
    expect(queryOf('list_issues')).toMatch(
      /^query Issues\(\$first: Int, \$after: String, \$filter: IssueFilter/,
    );
    expect(queryOf('list_issues')).toContain('pageInfo { hasNextPage endCursor }');
    expect(methodOf(def, 'list_issues').readOnly).toBe(true);
    expect(methodRequest(def, oauth, 'list_issues', { after: 'b2a3c4d5' }).body).toEqual({
      query: queryOf('list_issues'),
      variables: { after: 'b2a3c4d5' },
    });
  });

  it('reads the Relay cursor and stops when hasNextPage is false', () => {
    // Relay pageInfo: https://linear.app/developers/pagination
    const page = (hasNextPage: boolean) => ({
      body: {
        data: {
          issues: {
            nodes: [{ id: 'a1', identifier: 'ENG-1', title: 'Crash on save' }],
            pageInfo: { hasNextPage, endCursor: 'b2a3c4d5' },
          },
        },
      },
    });
    expect(nextPage(def, 'list_issues', page(true))).toEqual({ after: 'b2a3c4d5' });
    expect(nextPage(def, 'list_issues', page(false))).toBeUndefined();
  });

  it('gets an issue by identifier', () => {
    expect(methodRequest(def, oauth, 'get_issue', { id: 'ENG-123' }).body).toEqual({
      query: queryOf('get_issue'),
      variables: { id: 'ENG-123' },
    });
    expect(queryOf('get_issue')).toMatch(/^query Issue\(\$id: String!\) \{ issue\(id: \$id\)/);
  });

  it('lists teams and pages them', () => {
    expect(methodRequest(def, oauth, 'list_teams', { first: 50 }).body).toEqual({
      query: queryOf('list_teams'),
      variables: { first: 50 },
    });
    const answer = {
      body: {
        data: {
          teams: {
            nodes: [{ id: 't1', key: 'ENG', name: 'Engineering' }],
            pageInfo: { hasNextPage: false, endCursor: 'c1' },
          },
        },
      },
    };
    expect(nextPage(def, 'list_teams', answer)).toBeUndefined();
  });

  it('creates an issue with an IssueCreateInput built from the arguments', () => {
    // https://linear.app/developers/graphql (issueCreate example)
    expect(
      methodRequest(def, oauth, 'create_issue', {
        team_id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
        title: 'New exception',
        description: 'Some description',
        priority: 2,
      }),
    ).toEqual({
      method: 'POST',
      url: graphql,
      headers: oauthHeaders,
      body: {
        query: queryOf('create_issue'),
        variables: {
          input: {
            teamId: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
            title: 'New exception',
            description: 'Some description',
            priority: 2,
          },
        },
      },
    });
    expect(methodOf(def, 'create_issue').readOnly).toBeUndefined();
  });

  it('comments on an issue', () => {
    expect(
      methodRequest(def, oauth, 'create_comment', { issue_id: 'ENG-123', body: 'Fixed in #42' }).body,
    ).toEqual({
      query: queryOf('create_comment'),
      variables: { input: { issueId: 'ENG-123', body: 'Fixed in #42' } },
    });
  });

  it('declares GraphQL errors in a 200 body as failures', () => {
    expect(def.bodyErrors).toEqual({
      errorsPath: '$response.body.errors',
      messagePath: '$response.body.errors[0].message',
    });
  });

  it('treats a RATELIMITED GraphQL error as throttling at any status, waiting until the reset', () => {
    // https://linear.app/developers/rate-limiting: a throttled request gets a RATELIMITED error,
    // and X-RateLimit-Requests-Reset is the window's end in UTC epoch milliseconds.
    const now = Date.parse('2026-11-29T12:00:00Z');
    const body = { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] };
    const headers = {
      'X-RateLimit-Requests-Remaining': '0',
      'X-RateLimit-Requests-Reset': String(now + 2000),
    };
    expect(throttleOf(def, { status: 400, headers, body }, now)).toEqual({ waitMs: 2000, retry: true });
    expect(throttleOf(def, { status: 200, headers, body }, now)).toEqual({ waitMs: 2000, retry: true });
    // Any other GraphQL error is a refusal, never retried.
    const invalid = {
      errors: [{ message: 'Argument Validation Error', extensions: { code: 'INVALID_INPUT' } }],
    };
    expect(throttleOf(def, { status: 400, headers, body: invalid }, now)).toBeUndefined();
  });
});
