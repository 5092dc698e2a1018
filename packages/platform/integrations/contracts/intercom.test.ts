/**
 * Intercom contract: OAuth (regional hosts picked by one field), the requests the definition
 * sends and what it reads from Intercom's documented answers
 * (https://developers.intercom.com/docs/references/rest-api/api.intercom.io). No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { hostPlaceholderProblems } from '../../src/integrations/host-placeholders.js';
import {
  authorizeUrl,
  type ContractAccount,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('intercom');
const account: ContractAccount = {
  credentials: { region: 'intercom', access_token: 'dG9rOmFjY2Vzcw==' },
  context: { admin_id: '991267715' },
};
const headers = {
  accept: 'application/json',
  'intercom-version': '2.14',
  authorization: 'Bearer dG9rOmFjY2Vzcw==',
};
const jsonHeaders = { ...headers, 'content-type': 'application/json' };

describe('intercom OAuth', () => {
  it('sends a person to the sign-in host of their region, with no scope and no PKCE', async () => {
    // Get the authorization code: https://app.intercom.com/oauth?client_id=...&state=...
    const us = await authorizeUrl(def, { region: 'intercom' });
    expect(us.origin + us.pathname).toBe('https://app.intercom.com/oauth');
    expect([...us.searchParams.keys()].sort()).toEqual([
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
    ]);
    expect(us.searchParams.get('client_id')).toBe('client-123');
    const eu = await authorizeUrl(def, { region: 'eu.intercom' });
    expect(eu.origin + eu.pathname).toBe('https://app.eu.intercom.com/oauth');
  });

  it('trades the code at the regional token host with the secret in the body', async () => {
    // Trade your authorization code for an access token (Setting up OAuth); the answer carries
    // token_type Bearer and the token twice (token and access_token).
    const answer = {
      body: { token_type: 'Bearer', token: 'dG9rOmZhYWE2NjQ=', access_token: 'dG9rOmZhYWE2NjQ=' },
    };
    const { request, credentials } = await tokenExchange(def, answer, { region: 'au.intercom' });
    expect(request.url).toBe('https://api.au.intercom.io/auth/eagle/token');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({ region: 'au.intercom', access_token: 'dG9rOmZhYWE2NjQ=' });
  });

  it('allows only the three documented regions as hosts', () => {
    const field = def.authMethods[0]?.fields?.find((f) => f.name === 'region');
    const pattern = new RegExp(field?.pattern ?? '');
    expect(field?.options?.map((o) => o.value)).toEqual(['intercom', 'eu.intercom', 'au.intercom']);
    for (const value of field?.options ?? []) expect(pattern.test(value.value)).toBe(true);
    expect(pattern.test('evil.com/x#intercom')).toBe(false);
    expect(pattern.test('us.intercom')).toBe(false);
    expect(hostPlaceholderProblems(def)).toEqual([]);
  });
});

describe('intercom post-install', () => {
  it('identifies the admin and keeps workspace id, region and admin id', () => {
    // Identify an admin, https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/admins/identifyadmin (trimmed).
    const sample = {
      type: 'admin',
      id: '991267464',
      email: 'admin1@email.com',
      name: 'Ciaran1 Lee',
      email_verified: true,
      app: {
        type: 'app',
        id_code: 'this_is_an_id64_that_should_be_at_least_4',
        name: 'MyApp 1',
        created_at: 1719492696,
        secure: false,
        identity_verification: false,
        timezone: 'America/Los_Angeles',
        region: 'US',
      },
    };
    const eu: ContractAccount = { credentials: { region: 'eu.intercom', access_token: 'dG9rOmFjY2Vzcw==' } };
    const { requests, context } = postInstallRun(def, eu, { me: { body: sample } });
    expect(requests.me).toEqual({ method: 'GET', url: 'https://api.eu.intercom.io/me', headers });
    expect(context).toEqual({
      region: 'eu.intercom',
      workspace_id: 'this_is_an_id64_that_should_be_at_least_4',
      workspace_region: 'US',
      admin_id: '991267464',
    });
  });
});

describe('intercom methods', () => {
  const query = { field: 'created_at', operator: '>', value: '1306054154' };

  it('search_conversations posts the query and paging in the body', () => {
    // Search conversations, https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/conversations/searchconversations
    expect(methodRequest(def, account, 'search_conversations', { query, per_page: 5 })).toEqual({
      method: 'POST',
      url: 'https://api.intercom.io/conversations/search',
      headers: jsonHeaders,
      body: { query, pagination: { per_page: 5 } },
    });
    expect(def.methods?.find((m) => m.name === 'search_conversations')?.readOnly).toBe(true);
  });

  it('search_conversations reads pages.next.starting_after and sends it back in the body', () => {
    // Pagination for search APIs, https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination
    const answer = {
      body: {
        type: 'conversation.list',
        pages: {
          type: 'pages',
          next: { page: 2, starting_after: 'WzE3MTc0NDY0NjkwMDAsIjUyMCIsMl0=' },
          page: 1,
          per_page: 5,
          total_pages: 3,
        },
        total_count: 12,
        conversations: [{ type: 'conversation', id: '515' }],
      },
    };
    const next = nextPage(def, 'search_conversations', answer);
    expect(next).toEqual({ starting_after: 'WzE3MTc0NDY0NjkwMDAsIjUyMCIsMl0=' });
    expect(methodRequest(def, account, 'search_conversations', { query, per_page: 5, ...next }).body).toEqual(
      {
        query,
        pagination: { per_page: 5, starting_after: 'WzE3MTc0NDY0NjkwMDAsIjUyMCIsMl0=' },
      },
    );
    const last = { body: { ...answer.body, pages: { type: 'pages', page: 3, per_page: 5, total_pages: 3 } } };
    expect(nextPage(def, 'search_conversations', last)).toBeUndefined();
  });

  it('get_conversation reads one conversation, optionally as plain text', () => {
    expect(methodRequest(def, account, 'get_conversation', { id: '123', display_as: 'plaintext' })).toEqual({
      method: 'GET',
      url: 'https://api.intercom.io/conversations/123?display_as=plaintext',
      headers,
    });
    expect(methodRequest(def, account, 'get_conversation', { id: '123' }).url).toBe(
      'https://api.intercom.io/conversations/123',
    );
  });

  it('reply_to_conversation replies as the admin kept at install', () => {
    // Reply to a conversation (admin reply), https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/conversations/replyconversation
    expect(
      methodRequest(def, account, 'reply_to_conversation', {
        id: '123',
        message_type: 'comment',
        body: 'Thanks again :)',
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://api.intercom.io/conversations/123/reply',
      headers: jsonHeaders,
      body: { message_type: 'comment', type: 'admin', admin_id: '991267715', body: 'Thanks again :)' },
    });
  });

  it('search_contacts posts an email query and pages with starting_after', () => {
    // Search contacts example and its paged answer (pages.next.starting_after).
    const emailQuery = { field: 'email', operator: '=', value: 'joe@example.com' };
    expect(methodRequest(def, account, 'search_contacts', { query: emailQuery, per_page: 50 })).toEqual({
      method: 'POST',
      url: 'https://api.intercom.io/contacts/search',
      headers: jsonHeaders,
      body: { query: emailQuery, pagination: { per_page: 50 } },
    });
    const answer = {
      body: {
        type: 'list',
        data: [{ type: 'contact', id: '6762f0d51bb69f9f2193bb7f' }],
        total_count: 78,
        pages: {
          type: 'pages',
          next: { page: 2, starting_after: 'Wy0xLCI1ZjIyYzQzZjkxMjU5NmY1MDNiMjA4ZWUiLDJd' },
          page: 1,
          per_page: 50,
          total_pages: 2,
        },
      },
    };
    expect(nextPage(def, 'search_contacts', answer)).toEqual({
      starting_after: 'Wy0xLCI1ZjIyYzQzZjkxMjU5NmY1MDNiMjA4ZWUiLDJd',
    });
  });

  it('declares the documented rate-limit headers (reset as UNIX seconds)', () => {
    expect(def.rateLimit).toMatchObject({
      statuses: [429],
      resetHeader: 'X-RateLimit-Reset',
      resetFormat: 'epoch_seconds',
      remainingHeader: 'X-RateLimit-Remaining',
    });
  });
});
