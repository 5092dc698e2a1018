import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  methodRequest,
  postInstallRun,
  shippedDefinition,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('bamboohr');
const apiKey = { format: 'api_key' as const, credentials: { subdomain: 'acme', api_key: 'k3y' } };
const basic = {
  authorization: `Basic ${Buffer.from('k3y:x').toString('base64')}`,
  accept: 'application/json',
};
const api = 'https://acme.bamboohr.com/api/v1';

describe('bamboohr contract', () => {
  it('post-install lists the fields with the key as Basic user (password x) and keeps the subdomain', () => {
    // https://documentation.bamboohr.com/docs/getting-started
    const { requests, context } = postInstallRun(def, apiKey, {
      verify_fields: {
        body: [
          { id: 1, name: 'First Name', type: 'text', alias: 'firstName' },
          { id: 2, name: 'Last Name', type: 'text', alias: 'lastName' },
          { id: 4047, name: 'Shirt size', type: 'list' },
        ],
      },
    });
    expect(requests.verify_fields).toEqual({ method: 'GET', url: `${api}/meta/fields`, headers: basic });
    expect(context).toEqual({ subdomain: 'acme', fieldCount: 3 });
  });

  it('an OAuth account sends its bearer token to the same host', () => {
    const oauth = { format: 'oauth2' as const, credentials: { subdomain: 'acme', access_token: 'at-1' } };
    expect(methodRequest(def, oauth, 'list_employees')).toEqual({
      method: 'GET',
      url: `${api}/employees/directory`,
      headers: { authorization: 'Bearer at-1', accept: 'application/json' },
    });
  });

  it('authorizes on the company host with the scopes, offline_access included', async () => {
    const url = await authorizeUrl(def, { subdomain: 'acme' });
    expect(url.origin + url.pathname).toBe('https://acme.bamboohr.com/authorize.php');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      request: 'authorize',
      response_type: 'code',
      client_id: 'client-123',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      scope: 'openid email employee employee:name employee:job company:info offline_access',
    });
  });

  it('exchanges the code at the company token endpoint, secret in the body', async () => {
    const { request, credentials } = await tokenExchange(
      def,
      {
        body: {
          access_token: 'at-1',
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: 'rt-1',
          scope: 'openid email employee offline_access',
        },
      },
      { subdomain: 'acme' },
    );
    expect(request.url).toBe('https://acme.bamboohr.com/token.php?request=token');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-789',
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({
      subdomain: 'acme',
      access_token: 'at-1',
      refresh_token: 'rt-1',
      expires_in: 3600,
    });
  });

  it('reads one employee with the fields asked for, and the field list', () => {
    expect(
      methodRequest(def, apiKey, 'get_employee', { id: '0', fields: 'firstName,lastName,jobTitle' }),
    ).toEqual({
      method: 'GET',
      url: `${api}/employees/0?fields=firstName%2ClastName%2CjobTitle`,
      headers: basic,
    });
    expect(methodRequest(def, apiKey, 'list_fields').url).toBe(`${api}/meta/fields`);
  });

  it('creates an employee from the fields given, as JSON', () => {
    expect(
      methodRequest(def, apiKey, 'create_employee', {
        firstName: 'Ada',
        lastName: 'Lovelace',
        hireDate: '2026-12-01',
      }),
    ).toEqual({
      method: 'POST',
      url: `${api}/employees`,
      headers: { ...basic, 'content-type': 'application/json' },
      body: { firstName: 'Ada', lastName: 'Lovelace', hireDate: '2026-12-01' },
    });
  });

  it('runs a custom report as JSON, read-only', () => {
    expect(
      methodRequest(def, apiKey, 'run_custom_report', { title: 'Hires', fields: ['firstName', 'hireDate'] }),
    ).toEqual({
      method: 'POST',
      url: `${api}/reports/custom?format=JSON`,
      headers: { ...basic, 'content-type': 'application/json' },
      body: { title: 'Hires', fields: ['firstName', 'hireDate'] },
    });
    expect(methodRequest(def, apiKey, 'run_custom_report', { fields: ['id'] }).body).toEqual({
      fields: ['id'],
    });
    expect(def.methods?.find((m) => m.name === 'run_custom_report')?.readOnly).toBe(true);
  });

  it('declares no paging and the rate limit of the planned-changes notice (429, and 503, with Retry-After)', () => {
    expect(def.methods?.some((m) => m.pagination)).toBe(false);
    expect(def.rateLimit).toMatchObject({ statuses: [429, 503], retryAfterHeader: 'Retry-After' });
  });
});
