/**
 * Freshdesk contract: the requests the definition sends and what it reads from Freshdesk's
 * documented answers (https://developers.freshdesk.com/api/). No network.
 * @module
 */
import { describe, expect, it } from 'vitest';
import {
  type ContractAccount,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
} from '../../test/support/contract.js';

const def = shippedDefinition('freshdesk');
const account: ContractAccount = {
  format: 'basic',
  credentials: { subdomain: 'acme', api_key: 'abcdefghij1234567890' },
};
// Freshdesk: Basic with the API key as user name and the letter X as password.
const basic = `Basic ${Buffer.from('abcdefghij1234567890:X').toString('base64')}`;
const base = 'https://acme.freshdesk.com/api/v2';

describe('freshdesk post-install', () => {
  it('reads the helpdesk settings with the key and keeps subdomain and primary language', () => {
    // View Helpdesk Settings, https://developers.freshdesk.com/api/#helpdesk_settings (trimmed).
    const sample = { primary_language: 'en', supported_languages: ['ca', 'cs'], portal_languages: ['ca'] };
    const { requests, context } = postInstallRun(def, account, { helpdesk_settings: { body: sample } });
    expect(requests.helpdesk_settings).toEqual({
      method: 'GET',
      url: `${base}/settings/helpdesk`,
      headers: { accept: 'application/json', authorization: basic },
    });
    expect(context).toEqual({ subdomain: 'acme', primary_language: 'en' });
  });

  it('refuses a subdomain that would leave freshdesk.com', () => {
    const field = def.authMethods[0]?.fields?.find((f) => f.name === 'subdomain');
    const pattern = new RegExp(field?.pattern ?? '');
    expect(pattern.test('acme')).toBe(true);
    expect(pattern.test('evil.example.com#')).toBe(false);
    expect(pattern.test('acme.evil')).toBe(false);
  });
});

describe('freshdesk methods', () => {
  it('list_tickets sends filters and paging as query parameters', () => {
    expect(
      methodRequest(def, account, 'list_tickets', {
        updated_since: '2015-01-19T02:00:00Z',
        order_type: 'asc',
        per_page: 2,
      }),
    ).toEqual({
      method: 'GET',
      url: `${base}/tickets?updated_since=2015-01-19T02%3A00%3A00Z&order_type=asc&per_page=2`,
      headers: { accept: 'application/json', authorization: basic },
    });
  });

  it('list_tickets reads the next page from the Link header and asks for it', () => {
    // List All Tickets, https://developers.freshdesk.com/api/#list_all_tickets: the answer is a
    // bare array and `link: <...?page=2>; rel="next"` when more pages exist.
    const answer = {
      headers: { link: '<https://acme.freshdesk.com/api/v2/tickets?per_page=2&page=3>; rel="next"' },
      body: [{ id: 20, subject: 'Support Needed...' }],
    };
    const next = nextPage(def, 'list_tickets', answer, { per_page: 2, page: 2 });
    expect(next).toEqual({ page: '3' });
    expect(methodRequest(def, account, 'list_tickets', { per_page: 2, ...next }).url).toBe(
      `${base}/tickets?per_page=2&page=3`,
    );
    // The docs print the header as `< https://domain.freshdesk.com/api/v2/tickets?page=2>;rel="next"`.
    const docsForm = {
      headers: { link: '< https://acme.freshdesk.com/api/v2/tickets?page=2>;rel="next"' },
      body: [],
    };
    expect(nextPage(def, 'list_tickets', docsForm)).toEqual({ page: '2' });
    expect(nextPage(def, 'list_tickets', { body: [{ id: 1 }] }, { page: 3 })).toBeUndefined();
  });

  it('get_ticket embeds the conversations', () => {
    expect(methodRequest(def, account, 'get_ticket', { id: 20 })).toEqual({
      method: 'GET',
      url: `${base}/tickets/20?include=conversations`,
      headers: { accept: 'application/json', authorization: basic },
    });
  });

  it('create_ticket posts the documented JSON body', () => {
    // Create a Ticket example, https://developers.freshdesk.com/api/#create_ticket
    const args = {
      description: 'Details about the issue...',
      subject: 'Support Needed...',
      email: 'tom@outerspace.com',
      priority: 1,
      status: 2,
      cc_emails: ['ram@freshdesk.com', 'diana@freshdesk.com'],
    };
    expect(methodRequest(def, account, 'create_ticket', args)).toEqual({
      method: 'POST',
      url: `${base}/tickets`,
      headers: { accept: 'application/json', authorization: basic, 'content-type': 'application/json' },
      body: args,
    });
  });

  it('reply_to_ticket posts the reply body to the ticket', () => {
    // Reply to a ticket, https://developers.freshdesk.com/api/#reply_ticket
    expect(
      methodRequest(def, account, 'reply_to_ticket', {
        id: 141,
        body: 'We are working on this issue. Will keep you posted.',
      }),
    ).toEqual({
      method: 'POST',
      url: `${base}/tickets/141/reply`,
      headers: { accept: 'application/json', authorization: basic, 'content-type': 'application/json' },
      body: { body: 'We are working on this issue. Will keep you posted.' },
    });
  });

  it('list_contacts filters by email and pages with page/per_page', () => {
    expect(
      methodRequest(def, account, 'list_contacts', { email: 'superman@freshdesk.com', page: 2, per_page: 50 })
        .url,
    ).toBe(`${base}/contacts?email=superman%40freshdesk.com&per_page=50&page=2`);
    const answer = {
      headers: { link: '<https://acme.freshdesk.com/api/v2/contacts?page=3&per_page=50>; rel="next"' },
      body: [{ id: 432, name: 'Clark Kent' }],
    };
    expect(nextPage(def, 'list_contacts', answer, { page: 2 })).toEqual({ page: '3' });
  });

  it('declares 429 with Retry-After', () => {
    expect(def.rateLimit).toMatchObject({ statuses: [429], retryAfterHeader: 'Retry-After' });
  });
});
