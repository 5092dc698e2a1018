/**
 * Contract tests of the Gusto definition against Gusto's documented requests and answers
 * (App Integrations guides and API reference, docs.gusto.com), with no network.
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

const def = shippedDefinition('gusto');
const COMPANY = '5eca5127-6048-43ad-91ee-b56a0c34bc85';
const account = {
  credentials: { api_host: 'api.gusto.com', access_token: 'gusto-token' },
  context: { companyUuid: COMPANY },
};
const commonHeaders = {
  accept: 'application/json',
  authorization: 'Bearer gusto-token',
  'x-gusto-api-version': '2026-02-01',
};

// https://docs.gusto.com/embedded-payroll/v2024-03-01/reference/introspection (GET /v1/token_info)
const tokenInfoSample = {
  scope: 'companies:read companies:write employees:read',
  resource: { type: 'Company', uuid: COMPANY },
  resource_owner: { type: 'CompanyAdmin', uuid: '367871c2-3f70-4874-adc9-f1736647e8e1' },
};

// https://docs.gusto.com/app-integrations/v2024-04-01/reference/refresh-access-token (token answer)
const tokenSample = {
  access_token: '737HdeXfIqgx-NfaUFRuhV7JDe6ns6ptanJSMuQzjlc',
  token_type: 'bearer',
  expires_in: 7200,
  refresh_token: 'iEjL96L9Pndwmi-xVX3Q-xbrvvhnjHYGX87sopgGJ8E',
  scope: 'ach_transactions:read benefits:read companies:read',
  created_at: '2023-09-12T16:42:25.000-07:00',
};

// https://docs.gusto.com/app-integrations/reference/get-v1-companies-company_id-employees (trimmed)
// with the paging headers of https://docs.gusto.com/app-integrations/docs/pagination
const employee = {
  uuid: '9779767c-6044-48e0-bf68-aeb370b9a2e7',
  first_name: 'Soren',
  middle_initial: 'A',
  last_name: 'Kierkegaard',
  email: 'knight0faith@example.com',
  company_uuid: COMPANY,
  manager_uuid: null,
  department: 'Philosophy',
  terminated: false,
  onboarded: true,
};

describe('gusto contract', () => {
  it('post-install reads token_info and keeps the company the token was granted for', () => {
    const { requests, context } = postInstallRun(
      def,
      { credentials: account.credentials },
      { token_info: { body: tokenInfoSample } },
    );
    expect(requests.token_info).toEqual({
      method: 'GET',
      url: 'https://api.gusto.com/v1/token_info',
      headers: commonHeaders,
    });
    expect(context).toEqual({ companyUuid: COMPANY, resourceType: 'Company', apiHost: 'api.gusto.com' });
  });

  it('the demo environment sends every call to api.gusto-demo.com', () => {
    const demo = { ...account, credentials: { ...account.credentials, api_host: 'api.gusto-demo.com' } };
    expect(methodRequest(def, demo, 'get_company').url).toBe(
      `https://api.gusto-demo.com/v1/companies/${COMPANY}`,
    );
  });

  it('the environment field only takes Gusto hosts', () => {
    const field = def.authMethods[0]?.fields?.find((f) => f.name === 'api_host');
    const pattern = new RegExp(field?.pattern ?? '$^');
    expect(['api.gusto.com', 'api.gusto-demo.com'].map((h) => pattern.test(h))).toEqual([true, true]);
    expect(['api.gusto.com.evil.test', 'evil.test', 'api-gusto.com'].map((h) => pattern.test(h))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('authorizes at Gusto with response_type=code, no scope parameter and no PKCE', async () => {
    const url = await authorizeUrl(def, { api_host: 'api.gusto.com' });
    expect(url.origin + url.pathname).toBe('https://api.gusto.com/oauth/authorize');
    expect([...url.searchParams.keys()].sort()).toEqual([
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
    ]);
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('response_type')).toBe('code');
  });

  it('exchanges the code at /oauth/token with the client secret in the body', async () => {
    const { request, credentials } = await tokenExchange(
      def,
      { body: tokenSample },
      { api_host: 'api.gusto.com' },
    );
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.gusto.com/oauth/token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
    });
    expect(credentials).toEqual({
      api_host: 'api.gusto.com',
      access_token: tokenSample.access_token,
      refresh_token: tokenSample.refresh_token,
      expires_in: 7200,
    });
  });

  it('list_employees pages with page and per on the company kept at install', () => {
    expect(methodRequest(def, account, 'list_employees', { page: 2, per: 5, terminated: false })).toEqual({
      method: 'GET',
      url: `https://api.gusto.com/v1/companies/${COMPANY}/employees?page=2&per=5&terminated=false`,
      headers: commonHeaders,
    });
    expect(methodRequest(def, account, 'list_employees').url).toBe(
      `https://api.gusto.com/v1/companies/${COMPANY}/employees`,
    );
  });

  it('list_employees reads the next page from X-Total-Pages', () => {
    const headers = { 'X-Page': '3', 'X-Total-Count': '542', 'X-Total-Pages': '22', 'X-Per-Page': '25' };
    expect(nextPage(def, 'list_employees', { headers, body: [employee] }, { page: 3, per: 25 })).toEqual({
      page: 4,
    });
    expect(
      nextPage(
        def,
        'list_employees',
        { headers: { ...headers, 'X-Page': '22' }, body: [employee] },
        { page: 22 },
      ),
    ).toBeUndefined();
    // Without paging parameters Gusto sends no paging headers: that answer is the only page.
    expect(nextPage(def, 'list_employees', { body: [employee] })).toBeUndefined();
  });

  it('get_employee reads one employee by UUID (encoded)', () => {
    expect(methodRequest(def, account, 'get_employee', { employee_uuid: employee.uuid })).toEqual({
      method: 'GET',
      url: `https://api.gusto.com/v1/employees/${employee.uuid}`,
      headers: commonHeaders,
    });
    expect(methodRequest(def, account, 'get_employee', { employee_uuid: '../companies' }).url).toBe(
      'https://api.gusto.com/v1/employees/..%2Fcompanies',
    );
  });

  it('create_employee posts the documented body to the company', () => {
    // Body fields of https://docs.gusto.com/embedded-payroll/reference/post-v1-employees
    expect(
      methodRequest(def, account, 'create_employee', {
        first_name: 'Soren',
        middle_initial: 'A',
        last_name: 'Kierkegaard',
        email: 'knight0faith@example.com',
        date_of_birth: '1995-05-05',
        self_onboarding: true,
      }),
    ).toEqual({
      method: 'POST',
      url: `https://api.gusto.com/v1/companies/${COMPANY}/employees`,
      headers: { ...commonHeaders, 'content-type': 'application/json' },
      body: {
        first_name: 'Soren',
        middle_initial: 'A',
        last_name: 'Kierkegaard',
        email: 'knight0faith@example.com',
        date_of_birth: '1995-05-05',
        self_onboarding: true,
      },
    });
  });

  it('get_company reads the connected company', () => {
    expect(methodRequest(def, account, 'get_company')).toEqual({
      method: 'GET',
      url: `https://api.gusto.com/v1/companies/${COMPANY}`,
      headers: commonHeaders,
    });
  });

  it('declares Gusto rate limiting: 429 with Retry-After', () => {
    expect(def.rateLimit).toMatchObject({ statuses: [429], retryAfterHeader: 'Retry-After' });
  });
});
