/**
 * Contract tests of the Zoho CRM definition against Zoho's documented requests and answers
 * (API v8, OAuth with a data-centre extension, `Zoho-oauthtoken` header). No network.
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

const def = shippedDefinition('zoho-crm');
const account = {
  credentials: {
    extension: 'eu',
    access_token: '1000.8cb99dxxxx.9b8xxxx',
    api_domain: 'https://www.zohoapis.eu',
  },
};
const auth = { accept: 'application/json', authorization: 'Zoho-oauthtoken 1000.8cb99dxxxx.9b8xxxx' };

describe('zoho-crm contract', () => {
  it('sends the person to the chosen data centre with comma-separated scopes, offline access and consent', async () => {
    const url = await authorizeUrl(def, { extension: 'com.au' });
    expect(url.origin + url.pathname).toBe('https://accounts.zoho.com.au/oauth/v2/auth');
    expect(url.searchParams.get('scope')).toBe(
      'ZohoCRM.modules.ALL,ZohoCRM.org.READ,ZohoCRM.settings.modules.READ,ZohoSearch.securesearch.READ',
    );
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('client-123');
  });

  it('exchanges the code at the data centre, client secret in the body, and keeps api_domain', async () => {
    // Sample token answer: https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token.html
    const { request, credentials } = await tokenExchange(
      def,
      {
        body: {
          access_token: '1000.8cb99dxxxx.9b8xxxx',
          refresh_token: '1000.3ph66exxxx.6bbxxxx',
          api_domain: 'https://www.zohoapis.eu',
          token_type: 'Bearer',
          expires_in: 3600,
        },
      },
      { extension: 'eu' },
    );
    expect(request.url).toBe('https://accounts.zoho.eu/oauth/v2/token');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
    });
    expect(credentials).toEqual({
      extension: 'eu',
      access_token: '1000.8cb99dxxxx.9b8xxxx',
      refresh_token: '1000.3ph66exxxx.6bbxxxx',
      expires_in: 3600,
      api_domain: 'https://www.zohoapis.eu',
    });
  });

  it('reads the organization at the api_domain and keeps its ids', () => {
    // Sample answer: https://www.zoho.com/crm/developer/docs/api/get-org-data.html
    const { requests, context } = postInstallRun(def, account, {
      org: {
        body: {
          org: [
            {
              country: 'US',
              id: '111111000000033001',
              primary_zuid: '5478235',
              zgid: '5478236',
              company_name: 'Zylker',
              primary_email: 'p.boyle@zylker.com',
              iso_code: 'USD',
            },
          ],
        },
      },
    });
    expect(requests.org).toEqual({ method: 'GET', url: 'https://www.zohoapis.eu/crm/v8/org', headers: auth });
    expect(context).toEqual({
      api_domain: 'https://www.zohoapis.eu',
      org_id: '111111000000033001',
      org_zuid: '5478235',
      company_name: 'Zylker',
    });
  });

  it('lists a module with the fields asked for, and its next page by page_token', () => {
    expect(
      methodRequest(def, account, 'list_records', {
        module: 'Leads',
        fields: 'Last_Name,Email',
        per_page: 2,
      }),
    ).toEqual({
      method: 'GET',
      url: 'https://www.zohoapis.eu/crm/v8/Leads?fields=Last_Name%2CEmail&per_page=2',
      headers: auth,
    });
    expect(
      methodRequest(def, account, 'list_records', {
        module: 'Leads',
        fields: 'Last_Name,Email',
        page_token: 'c8582e7e0fbd9',
      }).url,
    ).toBe('https://www.zohoapis.eu/crm/v8/Leads?fields=Last_Name%2CEmail&page_token=c8582e7e0fbd9');
  });

  it('reads the next page token from info, and stops when more_records is false', () => {
    // `info` with next_page_token: https://help.zoho.com/portal/en/community/topic/kaizen-60-get-records-search-records-query-and-bulk-read-apis
    const info = {
      per_page: 2,
      next_page_token: 'c8582e7e0fbd9',
      count: 2,
      sort_by: 'id',
      page: 1,
      previous_page_token: null,
      page_token_expiry: '2026-11-30T15:08:14+05:30',
      sort_order: 'desc',
      more_records: true,
    };
    const data = [
      { Last_Name: 'Boyle', Email: 'p.boyle@zylker.com', id: '4150868000000225013' },
      { Last_Name: 'Burns', Email: 'burns@zylker.com', id: '4150868000000225014' },
    ];
    expect(nextPage(def, 'list_records', { body: { data, info } })).toEqual({ page_token: 'c8582e7e0fbd9' });
    expect(
      nextPage(def, 'list_records', {
        body: { data, info: { ...info, next_page_token: null, more_records: false } },
      }),
    ).toBeUndefined();
  });

  it('gets one record by id', () => {
    expect(
      methodRequest(def, account, 'get_record', { module: 'Contacts', id: '4150868000000225013' }),
    ).toEqual({
      method: 'GET',
      url: 'https://www.zohoapis.eu/crm/v8/Contacts/4150868000000225013',
      headers: auth,
    });
  });

  it('creates a record wrapped in data[], with the trigger list when given', () => {
    // Request body shape: https://www.zoho.com/crm/developer/docs/api/insert-records.html
    expect(
      methodRequest(def, account, 'create_record', {
        module: 'Leads',
        record: { Last_Name: 'Daly', First_Name: 'Paul', Company: 'Zylker', Email: 'p.daly@zylker.com' },
        trigger: ['workflow'],
      }),
    ).toEqual({
      method: 'POST',
      url: 'https://www.zohoapis.eu/crm/v8/Leads',
      headers: { ...auth, 'content-type': 'application/json' },
      body: {
        data: [{ Last_Name: 'Daly', First_Name: 'Paul', Company: 'Zylker', Email: 'p.daly@zylker.com' }],
        trigger: ['workflow'],
      },
    });
    expect(
      methodRequest(def, account, 'create_record', { module: 'Leads', record: { Last_Name: 'Daly' } }).body,
    ).toEqual({ data: [{ Last_Name: 'Daly' }] });
  });

  it('searches with Zoho criteria and pages by page number', () => {
    expect(
      methodRequest(def, account, 'search_records', {
        module: 'Contacts',
        criteria: '((Last_Name:equals:Burns\\,B)and(First_Name:starts_with:M))',
      }).url,
    ).toBe(
      'https://www.zohoapis.eu/crm/v8/Contacts/search?criteria=%28%28Last_Name%3Aequals%3ABurns%5C%2CB%29and%28First_Name%3Astarts_with%3AM%29%29',
    );
    expect(
      methodRequest(def, account, 'search_records', {
        module: 'Contacts',
        email: 'p.boyle@zylker.com',
        page: 2,
      }).url,
    ).toBe('https://www.zohoapis.eu/crm/v8/Contacts/search?email=p.boyle%40zylker.com&page=2');
    const info = { per_page: 200, count: 200, page: 2, more_records: true };
    expect(nextPage(def, 'search_records', { body: { data: [{ id: '1' }], info } }, { page: 2 })).toEqual({
      page: 3,
    });
    expect(
      nextPage(
        def,
        'search_records',
        { body: { data: [{ id: '1' }], info: { ...info, more_records: false } } },
        { page: 2 },
      ),
    ).toBeUndefined();
  });

  it('keeps api_domain and the data centre on Zoho hosts', () => {
    const method = def.authMethods[0];
    const apiDomain = new RegExp(
      method?.oauth2?.tokenResponseFields?.find((f) => f.name === 'api_domain')?.pattern ?? '(?!)',
    );
    expect(
      ['https://www.zohoapis.com', 'https://www.zohoapis.eu', 'https://www.zohoapis.com.au'].every((v) =>
        apiDomain.test(v),
      ),
    ).toBe(true);
    expect(
      [
        'https://www.zohoapis.com.evil.com',
        'http://www.zohoapis.com',
        'https://www.zohoapis.com/x',
        'https://evil.com',
      ].some((v) => apiDomain.test(v)),
    ).toBe(false);
    const extension = new RegExp(method?.fields?.find((f) => f.name === 'extension')?.pattern ?? '(?!)');
    expect(extension.test('com.au')).toBe(true);
    expect(['com.evil.com', 'evil.com/', 'com#'].some((v) => extension.test(v))).toBe(false);
  });

  it('lists modules to learn their API names', () => {
    // {api-domain}/crm/{version}/settings/modules: https://www.zoho.com/crm/developer/docs/api/v4/modules-api.html
    expect(methodRequest(def, account, 'list_modules')).toEqual({
      method: 'GET',
      url: 'https://www.zohoapis.eu/crm/v8/settings/modules',
      headers: auth,
    });
  });
});
