/**
 * Contract tests of the Jira definition against Atlassian's documented requests and answers
 * (OAuth 2.0 3LO, the cloud id from accessible-resources, the api.atlassian.com gateway, the
 * enhanced JQL search). No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  authMethodOf,
  authorizeUrl,
  methodRequest,
  nextPage,
  postInstallRequest,
  postInstallRun,
  shippedDefinition,
  throttleOf,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('jira');
const cloudId = '1324a887-45db-1bf4-1e99-ef0ff456d421';
const account = { credentials: { access_token: 'ACCESS_TOKEN' }, context: { cloudId } };
const headers = { accept: 'application/json', authorization: 'Bearer ACCESS_TOKEN' };
const base = `https://api.atlassian.com/ex/jira/${cloudId}`;

describe('jira contract', () => {
  it('sends the person to auth.atlassian.com with the API audience, consent prompt and space-separated scopes', async () => {
    // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
    const url = await authorizeUrl(def);
    expect(url.origin + url.pathname).toBe('https://auth.atlassian.com/authorize');
    expect(url.searchParams.get('audience')).toBe('api.atlassian.com');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')).toBe(
      'read:jira-work write:jira-work read:jira-user offline_access',
    );
    expect(url.searchParams.get('response_type')).toBe('code');
  });

  it('exchanges the code at auth.atlassian.com/oauth/token with the secret in the body', async () => {
    // Token answer: https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
    const { request, credentials } = await tokenExchange(def, {
      body: {
        access_token: 'ACCESS_TOKEN',
        expires_in: 3600,
        token_type: 'Bearer',
        refresh_token: 'REFRESH_TOKEN',
        scope: 'read:jira-work write:jira-work read:jira-user offline_access',
      },
    });
    expect(request.url).toBe('https://auth.atlassian.com/oauth/token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
    });
    expect(credentials).toEqual({
      access_token: 'ACCESS_TOKEN',
      refresh_token: 'REFRESH_TOKEN',
      expires_in: 3600,
    });
  });

  it('finds the cloud id at the absolute accessible-resources URL, then calls /myself through the gateway', () => {
    // Sample answers: https://developer.atlassian.com/cloud/oauth/getting-started/making-calls-to-api/
    // and https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/
    const { requests, context } = postInstallRun(
      def,
      { credentials: { access_token: 'ACCESS_TOKEN' } },
      {
        accessible_resources: {
          body: [
            {
              id: cloudId,
              name: 'Site name',
              url: 'https://your-domain.atlassian.net',
              scopes: ['write:jira-work', 'read:jira-user', 'manage:jira-configuration'],
              avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png',
            },
          ],
        },
        myself: {
          body: {
            accountId: '5b10a2844c20165700ede21g',
            accountType: 'atlassian',
            displayName: 'Mia Krystof',
            active: true,
            timeZone: 'Australia/Sydney',
          },
        },
      },
    );
    expect(requests.accessible_resources).toEqual({
      method: 'GET',
      url: 'https://api.atlassian.com/oauth/token/accessible-resources',
      headers,
    });
    expect(requests.myself).toEqual({ method: 'GET', url: `${base}/rest/api/3/myself`, headers });
    expect(context).toEqual({
      cloudId,
      siteUrl: 'https://your-domain.atlassian.net',
      siteName: 'Site name',
      accountId: '5b10a2844c20165700ede21g',
    });
  });

  describe('a token that reaches several sites', () => {
    // accessible-resources lists every site the user granted the app (3LO page, "Get the
    // cloudid for your site").
    const sites = {
      body: [
        { id: 'aaaa-1111', name: 'Alpha', url: 'https://alpha.atlassian.net', scopes: ['read:jira-work'] },
        { id: 'bbbb-2222', name: 'Beta', url: 'https://beta.atlassian.net', scopes: ['read:jira-work'] },
      ],
    };
    const me = { body: { accountId: '5b10a2844c20165700ede21g' } };
    const run = (credentials: Record<string, string>) =>
      postInstallRun(
        def,
        { credentials: { access_token: 'ACCESS_TOKEN', ...credentials } },
        {
          accessible_resources: sites,
          myself: me,
        },
      );

    it('connects the site entered on the connect page, whatever its place in the list', () => {
      const { requests, context } = run({ site: 'beta.atlassian.net' });
      expect(context).toMatchObject({
        cloudId: 'bbbb-2222',
        siteUrl: 'https://beta.atlassian.net',
        siteName: 'Beta',
      });
      expect(requests.myself?.url).toBe('https://api.atlassian.com/ex/jira/bbbb-2222/rest/api/3/myself');
    });

    it('connects the first site when none is entered', () => {
      expect(run({}).context).toMatchObject({ cloudId: 'aaaa-1111', siteName: 'Alpha' });
      expect(run({ site: '' }).context).toMatchObject({ cloudId: 'aaaa-1111' });
    });

    it('fails post-install, naming the sites it reaches, when the entered site is not among them', () => {
      expect(() => run({ site: 'gamma.atlassian.net' })).toThrow(
        'post-install step "accessible_resources" failed: none of the 2 items listed has url "https://gamma.atlassian.net" (listed: https://alpha.atlassian.net, https://beta.atlassian.net)',
      );
    });

    it('fails post-install when the token reaches no site', () => {
      expect(() =>
        postInstallRun(
          def,
          { credentials: { access_token: 'ACCESS_TOKEN' } },
          {
            accessible_resources: { body: [] },
            myself: me,
          },
        ),
      ).toThrow(
        'post-install step "accessible_resources" failed: the provider listed nothing to choose from',
      );
    });

    it('takes only an atlassian.net host as the site, so the match cannot point elsewhere', () => {
      const [field] = authMethodOf(def, 'oauth2').fields ?? [];
      const pattern = new RegExp(field?.pattern ?? '');
      expect(field).toMatchObject({ name: 'site', required: false });
      expect(pattern.test('acme.atlassian.net')).toBe(true);
      expect(pattern.test('legacy.jira.com')).toBe(true);
      for (const bad of [
        'https://acme.atlassian.net',
        'acme.atlassian.net.evil.example',
        'evil.example',
        'a.b.atlassian.net',
      ])
        expect(pattern.test(bad)).toBe(false);
    });
  });

  it('cannot call the gateway before the cloud id is known', () => {
    expect(() =>
      postInstallRequest(def, { credentials: { access_token: 'ACCESS_TOKEN' } }, 'myself'),
    ).toThrow(/cloudId/);
  });

  it('searches with JQL on /search/jql and pages by nextPageToken', () => {
    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/
    expect(
      methodRequest(def, account, 'search_issues', {
        jql: 'project = PROJ AND status = "In Progress" ORDER BY updated DESC',
        fields: 'summary,status',
        max_results: 50,
      }),
    ).toEqual({
      method: 'GET',
      url: `${base}/rest/api/3/search/jql?jql=project+%3D+PROJ+AND+status+%3D+%22In+Progress%22+ORDER+BY+updated+DESC&fields=summary%2Cstatus&maxResults=50`,
      headers,
    });
    expect(
      methodRequest(def, account, 'search_issues', { jql: 'project = PROJ', next_page_token: 'CAEaAggD' })
        .url,
    ).toBe(`${base}/rest/api/3/search/jql?jql=project+%3D+PROJ&nextPageToken=CAEaAggD`);
    const issue = { id: '10002', key: 'PROJ-3', fields: { summary: 'Fix login' } };
    expect(
      nextPage(def, 'search_issues', { body: { issues: [issue], nextPageToken: 'CAEaAggD', isLast: false } }),
    ).toEqual({
      next_page_token: 'CAEaAggD',
    });
    expect(nextPage(def, 'search_issues', { body: { issues: [issue], isLast: true } })).toBeUndefined();
  });

  it('gets an issue by key', () => {
    expect(methodRequest(def, account, 'get_issue', { issue: 'PROJ-123', expand: 'renderedFields' })).toEqual(
      {
        method: 'GET',
        url: `${base}/rest/api/3/issue/PROJ-123?expand=renderedFields`,
        headers,
      },
    );
  });

  it('creates an issue with fields, description in ADF', () => {
    const fields = {
      project: { key: 'PROJ' },
      issuetype: { name: 'Task' },
      summary: 'Main order flow broken',
      description: {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: 'Order entry fails when selecting supplier.' }],
          },
        ],
      },
    };
    expect(methodRequest(def, account, 'create_issue', { fields })).toEqual({
      method: 'POST',
      url: `${base}/rest/api/3/issue`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: { fields },
    });
  });

  it('adds an ADF comment to an issue', () => {
    const body = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Lorem ipsum dolor sit amet.' }] }],
    };
    expect(methodRequest(def, account, 'add_comment', { issue: 'PROJ-123', body })).toEqual({
      method: 'POST',
      url: `${base}/rest/api/3/issue/PROJ-123/comment`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: { body },
    });
  });

  it('lists projects and follows nextPage on the gateway only', () => {
    // Paged answer with nextPage: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/
    expect(methodRequest(def, account, 'list_projects', { query: 'eng', max_results: 50 })).toEqual({
      method: 'GET',
      url: `${base}/rest/api/3/project/search?query=eng&maxResults=50`,
      headers,
    });
    const next = `${base}/rest/api/3/project/search?startAt=50&maxResults=50`;
    const page = {
      isLast: false,
      maxResults: 50,
      nextPage: next,
      startAt: 0,
      total: 120,
      values: [{ id: '10000', key: 'EX', name: 'Example' }],
    };
    expect(nextPage(def, 'list_projects', { body: page })).toEqual({ next_page: next });
    expect(
      nextPage(def, 'list_projects', { body: { ...page, isLast: true, nextPage: undefined } }),
    ).toBeUndefined();
    expect(methodRequest(def, account, 'list_projects', { next_page: next }).url).toBe(next);
    expect(() =>
      methodRequest(def, account, 'list_projects', {
        next_page: 'https://evil.example.com/rest/api/3/project/search',
      }),
    ).toThrow(/must stay on https:\/\/api\.atlassian\.com/);
  });
});

describe('jira rate limits', () => {
  // https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('a 429 follows Retry-After', () => {
    expect(throttleOf(def, { status: 429, headers: { 'Retry-After': '2' } }, now)).toEqual({
      waitMs: 2000,
      retry: true,
    });
  });
  it('without Retry-After, reads the ISO 8601 X-RateLimit-Reset', () => {
    const headers = { 'X-RateLimit-Reset': '2026-11-29T12:00:04Z', 'X-RateLimit-Remaining': '0' };
    expect(throttleOf(def, { status: 429, headers }, now)).toEqual({ waitMs: 4000, retry: true });
  });
});
