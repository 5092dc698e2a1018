/**
 * GitHub contract: OAuth (OAuth app and GitHub App user tokens), the requests the definition
 * sends and what it reads from GitHub's documented answers (https://docs.github.com/en/rest).
 * No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  type ContractAccount,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  throttleOf,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('github');
const account: ContractAccount = {
  credentials: { access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a' },
};
const headers = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'truto-connect',
  authorization: 'Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a',
};
const jsonHeaders = { ...headers, 'content-type': 'application/json' };

describe('github OAuth', () => {
  it('asks for repo and user scopes, space-separated, with PKCE (S256)', async () => {
    // Web application flow step 1, https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('repo read:user user:email');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('trades the code asking for JSON and keeps a non-expiring OAuth-app token', async () => {
    // Step 2 answer with Accept: application/json (same page).
    const answer = {
      body: {
        access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
        scope: 'repo,gist',
        token_type: 'bearer',
      },
    };
    const { request, credentials } = await tokenExchange(def, answer);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://github.com/login/oauth/access_token');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-789',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      code_verifier: 'v'.repeat(43),
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({ access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a' });
  });

  it('keeps the refresh token and lifetime of an expiring GitHub App user token', async () => {
    // Generating a user access token for a GitHub App (expiring tokens), https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
    const answer = {
      body: {
        access_token: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
        expires_in: 28800,
        refresh_token: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
        refresh_token_expires_in: 15811200,
        scope: '',
        token_type: 'bearer',
      },
    };
    const { credentials } = await tokenExchange(def, answer);
    expect(credentials).toEqual({
      access_token: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
      refresh_token: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
      expires_in: 28800,
    });
  });
});

describe('github post-install', () => {
  it('reads the user with the required headers and keeps id and login', () => {
    // Get the authenticated user, https://docs.github.com/en/rest/users/users#get-the-authenticated-user (trimmed).
    const sample = {
      login: 'octocat',
      id: 1,
      node_id: 'MDQ6VXNlcjE=',
      type: 'User',
      site_admin: false,
      name: 'monalisa octocat',
      company: 'GitHub',
    };
    const { requests, context } = postInstallRun(def, account, { user: { body: sample } });
    expect(requests.user).toEqual({ method: 'GET', url: 'https://api.github.com/user', headers });
    expect(context).toEqual({ user_id: 1, login: 'octocat' });
  });
});

describe('github methods', () => {
  // The Link header of the pagination guide, https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
  const link =
    '<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=4>; rel="next", <https://api.github.com/repositories/1300192/issues?page=515>; rel="last", <https://api.github.com/repositories/1300192/issues?page=1>; rel="first"';

  it('list_repos sends sort and paging as query parameters', () => {
    expect(methodRequest(def, account, 'list_repos', { sort: 'updated', per_page: 100 })).toEqual({
      method: 'GET',
      url: 'https://api.github.com/user/repos?sort=updated&per_page=100',
      headers,
    });
  });

  it('list_issues reads the next page from the Link header and asks for it', () => {
    expect(
      methodRequest(def, account, 'list_issues', { owner: 'octocat', repo: 'Hello-World', state: 'all' }),
    ).toEqual({
      method: 'GET',
      url: 'https://api.github.com/repos/octocat/Hello-World/issues?state=all',
      headers,
    });
    const next = nextPage(def, 'list_issues', { headers: { link }, body: [{ number: 1347 }] }, { page: 3 });
    expect(next).toEqual({ page: '4' });
    expect(
      methodRequest(def, account, 'list_issues', { owner: 'octocat', repo: 'Hello-World', ...next }).url,
    ).toBe('https://api.github.com/repos/octocat/Hello-World/issues?page=4');
    const lastPage =
      '<https://api.github.com/repositories/1300192/issues?page=514>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=1>; rel="first"';
    expect(nextPage(def, 'list_issues', { headers: { link: lastPage }, body: [] })).toBeUndefined();
  });

  it('list_repos pages the same way', () => {
    const repoLink = '<https://api.github.com/user/repos?per_page=100&page=2>; rel="next"';
    expect(nextPage(def, 'list_repos', { headers: { link: repoLink }, body: [{ id: 1296269 }] })).toEqual({
      page: '2',
    });
  });

  it('get_issue encodes owner, repo and number into the path', () => {
    expect(
      methodRequest(def, account, 'get_issue', { owner: 'octocat', repo: 'Hello-World', issue_number: 1347 }),
    ).toEqual({
      method: 'GET',
      url: 'https://api.github.com/repos/octocat/Hello-World/issues/1347',
      headers,
    });
    expect(methodRequest(def, account, 'get_issue', { owner: 'a/b', repo: 'c?d', issue_number: 1 }).url).toBe(
      'https://api.github.com/repos/a%2Fb/c%3Fd/issues/1',
    );
  });

  it('create_issue posts the documented body', () => {
    // Create an issue example, https://docs.github.com/en/rest/issues/issues#create-an-issue
    expect(
      methodRequest(def, account, 'create_issue', {
        owner: 'OWNER',
        repo: 'REPO',
        title: 'Found a bug',
        body: "I'm having a problem with this.",
        assignees: ['octocat'],
        milestone: 1,
        labels: ['bug'],
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://api.github.com/repos/OWNER/REPO/issues',
      headers: jsonHeaders,
      body: {
        title: 'Found a bug',
        body: "I'm having a problem with this.",
        assignees: ['octocat'],
        milestone: 1,
        labels: ['bug'],
      },
    });
  });

  it('comment_on_issue posts the comment body', () => {
    // Create an issue comment example, https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
    expect(
      methodRequest(def, account, 'comment_on_issue', {
        owner: 'OWNER',
        repo: 'REPO',
        issue_number: 1347,
        body: 'Me too',
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://api.github.com/repos/OWNER/REPO/issues/1347/comments',
      headers: jsonHeaders,
      body: { body: 'Me too' },
    });
  });
});

describe('github rate limits', () => {
  // https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
  const now = Date.parse('2026-11-29T12:00:00Z');
  const reset = String(now / 1000 + 3);
  it('a 403 with x-ratelimit-remaining 0 is a throttle, waited out until x-ratelimit-reset', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
    expect(throttleOf(def, { status: 403, headers }, now)).toEqual({ waitMs: 3000, retry: true });
  });
  it('a 403 with requests left is a refusal, not a throttle', () => {
    const headers = { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': reset };
    expect(throttleOf(def, { status: 403, headers }, now)).toBeUndefined();
  });
  it('a secondary-limit 429 follows retry-after', () => {
    expect(throttleOf(def, { status: 429, headers: { 'retry-after': '60' } }, now)).toEqual({
      waitMs: 60_000,
      retry: false,
    });
  });
});
