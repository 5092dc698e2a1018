/**
 * Contract tests of the Zendesk definition against Zendesk's documented requests and answers
 * (subdomain hosts, OAuth with refresh tokens, `{email}/token` Basic auth, cursor paging for
 * lists and next_page URLs for search). No network.
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

const def = shippedDefinition('zendesk');
const oauth = {
  format: 'oauth2' as const,
  credentials: { subdomain: 'acme', access_token: 'gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo' },
};
const token = {
  format: 'basic' as const,
  credentials: {
    subdomain: 'acme',
    email: 'jdoe@example.com',
    api_token: '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv',
  },
};
const bearer = { accept: 'application/json', authorization: 'Bearer gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo' };
const base = 'https://acme.zendesk.com';

describe('zendesk contract', () => {
  it('sends the person to the subdomain’s authorization page with read write scopes and PKCE', async () => {
    // https://support.zendesk.com/hc/en-us/articles/4408845965210
    const url = await authorizeUrl(def, { subdomain: 'acme' });
    expect(url.origin + url.pathname).toBe('https://acme.zendesk.com/oauth/authorizations/new');
    expect(url.searchParams.get('scope')).toBe('read write');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('exchanges the code at the subdomain’s /oauth/tokens and keeps the refresh token', async () => {
    // Answer fields: https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
    const { request, credentials } = await tokenExchange(
      def,
      {
        body: {
          access_token: 'gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo',
          refresh_token: '31048ba4d7c601302f3173f243da835f',
          token_type: 'bearer',
          scope: 'read write',
          expires_in: 172800,
          refresh_token_expires_in: 800000,
        },
      },
      { subdomain: 'acme' },
    );
    expect(request.url).toBe('https://acme.zendesk.com/oauth/tokens');
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
      subdomain: 'acme',
      access_token: 'gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo',
      refresh_token: '31048ba4d7c601302f3173f243da835f',
      expires_in: 172800,
    });
  });

  it('checks an API token as `{email}/token` Basic auth and keeps the user', () => {
    // https://developer.zendesk.com/api-reference/introduction/security-and-auth/
    const { requests, context } = postInstallRun(def, token, {
      me: { body: { user: { id: 35436, name: 'Johnny Agent', email: 'jdoe@example.com', role: 'agent' } } },
    });
    expect(requests.me).toEqual({
      method: 'GET',
      url: `${base}/api/v2/users/me.json`,
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64')}`,
      },
    });
    expect(context).toEqual({ subdomain: 'acme', user_id: 35436, role: 'agent' });
  });

  it('lists tickets 100 at a time with a cursor, and stops when has_more is false', () => {
    // https://developer.zendesk.com/api-reference/introduction/pagination/
    expect(methodRequest(def, oauth, 'list_tickets', {})).toEqual({
      method: 'GET',
      url: `${base}/api/v2/tickets.json?page%5Bsize%5D=100`,
      headers: bearer,
    });
    expect(methodRequest(def, oauth, 'list_tickets', { after: 'xxx', sort: '-updated_at' }).url).toBe(
      `${base}/api/v2/tickets.json?page%5Bsize%5D=100&page%5Bafter%5D=xxx&sort=-updated_at`,
    );
    const answer = {
      tickets: [{ id: 35436, subject: 'Help, my printer is on fire!' }],
      meta: { has_more: true, after_cursor: 'xxx', before_cursor: 'yyy' },
      links: {
        next: 'https://acme.zendesk.com/api/v2/tickets.json?page[size]=100&page[after]=xxx',
        prev: 'https://acme.zendesk.com/api/v2/tickets.json?page[size]=100&page[before]=yyy',
      },
    };
    expect(nextPage(def, 'list_tickets', { body: answer })).toEqual({ after: 'xxx' });
    expect(
      nextPage(def, 'list_tickets', { body: { ...answer, meta: { ...answer.meta, has_more: false } } }),
    ).toBeUndefined();
  });

  it('gets a ticket', () => {
    expect(methodRequest(def, token, 'get_ticket', { ticket_id: 35436 }).url).toBe(
      `${base}/api/v2/tickets/35436.json`,
    );
  });

  it('creates a ticket with its first comment', () => {
    // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket
    expect(
      methodRequest(def, oauth, 'create_ticket', {
        subject: 'My printer is on fire!',
        body: 'The smoke is very colorful.',
        priority: 'urgent',
      }),
    ).toEqual({
      method: 'POST',
      url: `${base}/api/v2/tickets.json`,
      headers: { ...bearer, 'content-type': 'application/json' },
      body: {
        ticket: {
          subject: 'My printer is on fire!',
          comment: { body: 'The smoke is very colorful.' },
          priority: 'urgent',
        },
      },
    });
  });

  it('adds an internal note with PUT on the ticket', () => {
    expect(
      methodRequest(def, oauth, 'add_comment', {
        ticket_id: 35436,
        body: 'Called the customer.',
        public: false,
        status: 'pending',
      }),
    ).toEqual({
      method: 'PUT',
      url: `${base}/api/v2/tickets/35436.json`,
      headers: { ...bearer, 'content-type': 'application/json' },
      body: { ticket: { comment: { body: 'Called the customer.', public: false }, status: 'pending' } },
    });
  });

  it('searches with Zendesk syntax and follows the next_page URL on the same host only', () => {
    // https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/
    expect(
      methodRequest(def, oauth, 'search', { query: 'type:ticket status:open', sort_by: 'created_at' }).url,
    ).toBe(`${base}/api/v2/search.json?query=type%3Aticket+status%3Aopen&sort_by=created_at`);
    const next = 'https://acme.zendesk.com/api/v2/search.json?page=2&query=type%3Aticket+status%3Aopen';
    expect(
      nextPage(def, 'search', {
        body: { results: [{ id: 35436, result_type: 'ticket' }], count: 1234, next_page: next },
      }),
    ).toEqual({
      next_page: next,
    });
    expect(nextPage(def, 'search', { body: { results: [], count: 0, next_page: null } })).toBeUndefined();
    expect(methodRequest(def, oauth, 'search', { query: 'x', next_page: next }).url).toBe(next);
    expect(() =>
      methodRequest(def, oauth, 'search', {
        query: 'x',
        next_page: 'https://evil.example.com/api/v2/search.json',
      }),
    ).toThrow(/must stay on https:\/\/acme\.zendesk\.com/);
  });

  it('keeps the subdomain a single label, so the host stays on zendesk.com', () => {
    for (const method of def.authMethods) {
      const pattern = new RegExp(method.fields?.find((f) => f.name === 'subdomain')?.pattern ?? '(?!)');
      expect(['acme', 'acme-support', 'a1'].every((v) => pattern.test(v))).toBe(true);
      expect(['acme.evil.com', 'evil.com/x', 'acme@evil', '-acme', ''].some((v) => pattern.test(v))).toBe(
        false,
      );
    }
  });
});
