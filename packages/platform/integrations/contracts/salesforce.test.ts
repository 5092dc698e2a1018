import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  methodRequest,
  nextPage,
  postInstallRun,
  shippedDefinition,
  throttleOf,
  tokenExchange,
} from '../../test/support/contract.js';

const def = shippedDefinition('salesforce');
const instance = 'https://acme.my.salesforce.com';
const account = {
  credentials: { hostname: 'login.salesforce.com', access_token: '00Dxx!AQ4AQ', instance_url: instance },
  context: { instance_url: instance },
};
const auth = { authorization: 'Bearer 00Dxx!AQ4AQ' };
const api = `${instance}/services/data/v62.0`;

describe('salesforce contract', () => {
  it('authorizes at the login host with api and refresh_token scopes, PKCE and prompt=consent', async () => {
    const url = await authorizeUrl(def, { hostname: 'acme.my.salesforce.com' });
    expect(url.origin + url.pathname).toBe('https://acme.my.salesforce.com/services/oauth2/authorize');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'client-123',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      scope: 'api refresh_token offline_access',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('exchanges the code with the secret in the body and keeps instance_url and id', async () => {
    // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm&type=5
    const { request, credentials } = await tokenExchange(
      def,
      {
        body: {
          access_token: '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog',
          signature: 'd/SxeYBxH0GSVko0HMgcUxuZy0PA2cDDz1u7g7JtDHw=',
          scope: 'refresh_token api',
          instance_url: 'https://acme.my.salesforce.com',
          id: 'https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS',
          token_type: 'Bearer',
          issued_at: '1278448832702',
          refresh_token: '5Aep861KIwKdekr90I4iHdtDgWwRoG7O_6uHrgJ.yVtMS-UmGpRCBBtgbIzsUq',
        },
      },
      { hostname: 'login.salesforce.com' },
    );
    expect(request.url).toBe('https://login.salesforce.com/services/oauth2/token');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-789',
      redirect_uri: 'https://connect.example.com/link/oauth/callback',
      code_verifier: 'v'.repeat(43),
      client_id: 'client-123',
      client_secret: 'secret-456',
    });
    expect(credentials).toEqual({
      hostname: 'login.salesforce.com',
      access_token: '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog',
      refresh_token: '5Aep861KIwKdekr90I4iHdtDgWwRoG7O_6uHrgJ.yVtMS-UmGpRCBBtgbIzsUq',
      instance_url: 'https://acme.my.salesforce.com',
      id: 'https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS',
    });
  });

  it('post-install reads userinfo on the instance and keeps organization and user', () => {
    // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm&type=5
    const { requests, context } = postInstallRun(def, account, {
      userinfo: {
        body: {
          sub: 'https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS',
          user_id: '005xx000001SwiUAAS',
          organization_id: '00Dxx0000001gPLEAY',
          preferred_username: 'admin@acme.com',
          email: 'admin@acme.com',
          zoneinfo: 'America/Los_Angeles',
        },
      },
    });
    expect(requests.userinfo).toEqual({
      method: 'GET',
      url: `${instance}/services/oauth2/userinfo`,
      headers: auth,
    });
    expect(context).toEqual({
      instance_url: instance,
      organization_id: '00Dxx0000001gPLEAY',
      user_id: '005xx000001SwiUAAS',
    });
  });

  it('soql_query sends q, and the next batch is the nextRecordsUrl alone', () => {
    expect(methodRequest(def, account, 'soql_query', { q: 'SELECT Name, Id FROM Account' })).toEqual({
      method: 'GET',
      url: `${api}/query?q=SELECT+Name%2C+Id+FROM+Account`,
      headers: auth,
    });
    expect(
      methodRequest(def, account, 'soql_query', {
        cursor: '/services/data/v62.0/query/01gD0000002HU6KIAW-2000',
      }),
    ).toEqual({ method: 'GET', url: `${api}/query/01gD0000002HU6KIAW-2000`, headers: auth });
  });

  it('soql_query refuses a cursor for another host', () => {
    expect(() =>
      methodRequest(def, account, 'soql_query', {
        cursor: 'https://evil.example/services/data/v62.0/query/x',
      }),
    ).toThrow(/must stay on https:\/\/acme\.my\.salesforce\.com/);
  });

  it('soql_query pages by nextRecordsUrl until done', () => {
    // https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html
    const more = {
      body: {
        totalSize: 3222,
        done: false,
        nextRecordsUrl: '/services/data/v62.0/query/01gRO0000016PIAYA2-500',
        records: [
          { attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003RO' }, Name: 'A' },
        ],
      },
    };
    expect(nextPage(def, 'soql_query', more, { q: 'SELECT Name FROM Contact' })).toEqual({
      cursor: '/services/data/v62.0/query/01gRO0000016PIAYA2-500',
    });
    const last = { body: { totalSize: 14, done: true, records: [] } };
    expect(nextPage(def, 'soql_query', last)).toBeUndefined();
  });

  it('get_record and describe_object', () => {
    expect(
      methodRequest(def, account, 'get_record', {
        object: 'Account',
        id: '001D000000INjVe',
        fields: 'Name,Industry',
      }),
    ).toEqual({
      method: 'GET',
      url: `${api}/sobjects/Account/001D000000INjVe?fields=Name%2CIndustry`,
      headers: auth,
    });
    expect(methodRequest(def, account, 'get_record', { object: 'Account', id: '001D000000INjVe' }).url).toBe(
      `${api}/sobjects/Account/001D000000INjVe`,
    );
    expect(methodRequest(def, account, 'describe_object', { object: 'Invoice__c' })).toEqual({
      method: 'GET',
      url: `${api}/sobjects/Invoice__c/describe`,
      headers: auth,
    });
  });

  it('create_record posts the fields as the top-level body', () => {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
    expect(
      methodRequest(def, account, 'create_record', {
        object: 'Account',
        fields: { Name: 'Express Logistics and Transport' },
      }),
    ).toEqual({
      method: 'POST',
      url: `${api}/sobjects/Account`,
      headers: { ...auth, 'content-type': 'application/json' },
      body: { Name: 'Express Logistics and Transport' },
    });
  });

  it('update_record patches only the given fields', () => {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm
    expect(
      methodRequest(def, account, 'update_record', {
        object: 'Account',
        id: '001D000000INjVe',
        fields: { BillingCity: 'San Francisco' },
      }),
    ).toEqual({
      method: 'PATCH',
      url: `${api}/sobjects/Account/001D000000INjVe`,
      headers: { ...auth, 'content-type': 'application/json' },
      body: { BillingCity: 'San Francisco' },
    });
  });
});

describe('salesforce API limits', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm:
  // 403 with errorCode REQUEST_LIMIT_EXCEEDED when the org's API requests are used up.
  it('reports REQUEST_LIMIT_EXCEEDED as rate limited, never retried, and other 403s as refusals', () => {
    const limited = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
    expect(throttleOf(def, { status: 403, body: limited })).toEqual({ waitMs: undefined, retry: false });
    const denied = [
      { message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' },
    ];
    expect(throttleOf(def, { status: 403, body: denied })).toBeUndefined();
  });
});
