/**
 * Defect 7: generated input at every route never answers 5xx. fast-check throws odd paths,
 * query strings, headers (Accept-Language, Origin, Content-Type, Idempotency-Key,
 * Authorization) and bodies (deep, huge, odd numbers, prototype keys) at the Admin API (with
 * and without a valid token), the operational endpoints and the connect pages. Each answer must
 * be below 500; a JSON 4xx must be `{"error","message"}`; an Admin API answer must be one its
 * operation declares in the served spec, with a body of the declared shape. Fixed run counts
 * and a fixed seed keep the sweep inside `pnpm test`'s budget and reproducible.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileResponseValidator } from '../src/openapi/operation-validators.js';
import { loadOpenApiDocument } from '../src/openapi/spec.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';
import { json, type ProviderServer, startProviderServer } from './support/provider-server.js';
import { writeTestIntegrations } from './support/test-integrations.js';

const validateResponse = compileResponseValidator(loadOpenApiDocument());
const SEED = 20261129;
const SWEEP = { timeout: 240_000 };

/** Strings that have broken servers like this one: prototype keys, escapes, numbers, Unicode. */
const NASTY = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '%',
  '%E0%A4%A',
  '%00',
  '%2e%2e',
  '..',
  '1e300',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '9007199254740993',
  'de',
  'en',
  'de-DE,de;q=0.9',
  '*',
  'x'.repeat(2000),
  '😀',
  '\u202e',
  'popup',
  'modal',
  'redirect',
  'oauth2',
  'api_key',
  'https://app.a.test',
  'null',
  'true',
];
const nasty = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme' }),
);
/** Header values must be visible ASCII (or fetch refuses to send them). */
const headerValue = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'de', 'en-US,en;q=0.5', '*', 'xx-YY;q=abc', ';;;', ''),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
);

const deep = (depth: number, leaf = '1') => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Bodies that broke servers like this one: deep, huge, odd numbers, prototype keys, not JSON. */
function troubleBodies(linkFields: Record<string, unknown>): string[] {
  return [
    JSON.stringify({ ...linkFields, metadata: JSON.parse(deep(200)) }),
    `{"integration":"testhr","metadata":${deep(20_000)}}`,
    `{"integration":"testhr","metadata":{"a":${deepArray(20_000)}}}`,
    `{"integration":"testhr","credentials":{"subdomain":"acme","access_token":"t","expires_in":1e300}}`,
    `{"integration":"bamboohr","authFormat":"oauth2","credentials":{"subdomain":"acme","access_token":"t","expires_in":1e300}}`,
    `{"integration":"bamboohr","authFormat":"oauth2","credentials":{"subdomain":"acme","access_token":"t","expires_at":"+275760-09-13T00:00:00.001Z"}}`,
    `{"integration":"testhr","credentials":{"__proto__":{"subdomain":"x"},"constructor":"y"}}`,
    `{"__proto__":{"integration":"testhr"}}`,
    `{"integration":"constructor"}`,
    `{"integration":"__proto__","externalId":"__proto__"}`,
    `{"integration":"testhr","scopes":["__proto__"],"redirectUri":"javascript:alert(1)"}`,
    `{"allowedMethods":["__proto__","constructor"],"transport":"constructor"}`,
    `{"integration":"testhr","externalId":1e309}`,
    `{"integration":"testhr","metadata":{"n":-0,"m":1e-400,"big":123456789012345678901234567890}}`,
    `{"integration":"testhr","metadata":"${'x'.repeat(120 * 1024)}"}`,
    '',
    'null',
    '[]',
    '{',
    '\uFEFF{}',
  ];
}

/** Raw JSON texts: generated values plus the shapes that broke servers like this one. */
function jsonBodies(linkFields: Record<string, unknown>) {
  const keyed = fc.dictionary(
    fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 })),
    fc.jsonValue(),
    {
      maxKeys: 6,
    },
  );
  return fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    keyed.map((v) => JSON.stringify({ ...linkFields, ...v })),
    keyed.map((v) => JSON.stringify({ ...linkFields, metadata: v, credentials: v })),
    // The known troublemakers, weighted so each is sent several times per run.
    { weight: 4, arbitrary: fc.constantFrom(...troubleBodies(linkFields)) },
  );
}

function queryString(keys: readonly string[]) {
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...keys), nasty), nasty), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'))
    .chain((encoded) =>
      fc.oneof(
        fc.constant(encoded),
        fc.constantFrom(
          'lang=constructor',
          'lang=__proto__',
          'page=1e300&limit=-0',
          '%=%',
          'a[b]=c&a[__proto__][x]=1',
        ),
      ),
    );
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

describe('a generated-input sweep of every route', () => {
  let database: TestDatabase;
  let provider: ProviderServer;
  let platform: Platform;
  let base: string;
  let apiToken: string;
  let accountId: string;
  const linkTokens: string[] = [];
  const failures: string[] = [];

  beforeAll(async () => {
    provider = await startProviderServer();
    provider.route('GET /acme/company', (_req, res) =>
      json(res, 200, { id: 'co_1', name: 'Acme', region: 'eu' }),
    );
    database = await createTestDatabase('sqlite');
    platform = await createPlatform({
      database: database.url,
      integrations: [writeTestIntegrations(provider.url)],
      secretKey: TEST_SECRET_KEY,
      // The OAuth start builds the provider's authorize URL and redirects; nothing is fetched.
      oauthClients: { bamboohr: { clientId: 'sweep-client', clientSecret: 'sweep-secret' } },
      webhooks: false,
      logger: pino({ level: 'silent' }),
    });
    base = (await platform.listen(0, '127.0.0.1')).url;
    const created = await platform.tenants.create({ name: 'Sweep', allowedOrigins: ['https://app.a.test'] });
    apiToken = created.apiToken;
    const account = await platform.accounts.create(created.tenant, {
      integration: 'testhr',
      credentials: { subdomain: 'acme', api_key: 'k' },
    });
    accountId = String(account.id);
    for (const integration of ['testhr', 'bamboohr', 'bamboohr', 'testhr']) {
      linkTokens.push(String((await platform.linkTokens.create(created.tenant, { integration })).token));
    }
  });
  afterAll(async () => {
    await platform?.close();
    await provider?.close();
    await database?.dispose();
  });

  async function send(request: Sent): Promise<Answer> {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  /** Records what is wrong with an answer; the properties assert the list stays empty. */
  function check(request: Sent, answer: Answer, operationId?: string): boolean {
    const where = `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 200)} → ${answer.status} ${answer.text.slice(0, 120)}`;
    const problems: string[] = [];
    if (answer.status >= 500) problems.push('5xx');
    const isJson = answer.contentType.startsWith('application/json');
    let body: unknown;
    if (isJson && answer.text !== '') {
      try {
        body = JSON.parse(answer.text);
      } catch {
        problems.push('JSON content type with a body that is not JSON');
      }
    }
    if (isJson && body !== undefined && answer.status >= 400 && !request.path.startsWith('/link/status/')) {
      const keys = Object.keys(body as object).sort();
      const shaped =
        keys.join() === 'error,message' &&
        typeof (body as { error: unknown }).error === 'string' &&
        typeof (body as { message: unknown }).message === 'string';
      if (!shaped) problems.push('4xx body is not {"error","message"}');
    }
    if (operationId && answer.status !== 404 && answer.status !== 405) {
      const issues = validateResponse(operationId, answer.status, body);
      if (issues.length > 0) problems.push(`not in the spec: ${JSON.stringify(issues)}`);
    }
    if (problems.length > 0) failures.push(`${where}: ${problems.join('; ')}`);
    // Every problem is listed at the end (with its request), rather than the first one shrunk.
    return true;
  }

  const adminRoutes = [
    { method: 'GET', path: () => '/integrated-accounts', operationId: 'listIntegratedAccounts' },
    { method: 'POST', path: () => '/integrated-accounts', operationId: 'createIntegratedAccount' },
    {
      method: 'GET',
      path: (id: string) => `/integrated-accounts/${id}`,
      operationId: 'getIntegratedAccount',
    },
    {
      method: 'DELETE',
      path: (id: string) => `/integrated-accounts/${id}`,
      operationId: 'deleteIntegratedAccount',
    },
    {
      method: 'POST',
      path: (id: string) => `/integrated-accounts/${id}/run-post-install-actions`,
      operationId: 'runPostInstallActions',
    },
    {
      method: 'POST',
      path: (id: string) => `/integrated-accounts/${id}/mcp`,
      operationId: 'createMcpServer',
    },
    { method: 'POST', path: () => '/link-tokens', operationId: 'createLinkToken' },
    { method: 'GET', path: () => '/integrations', operationId: 'listIntegrations' },
    { method: 'PUT', path: () => '/link-tokens', operationId: undefined },
    { method: 'PATCH', path: (id: string) => `/integrated-accounts/${id}`, operationId: undefined },
  ] as const;

  it('the Admin API, with and without a valid token', SWEEP, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...adminRoutes),
        fc.oneof(fc.constant('__account__'), nasty),
        queryString(['integration', 'status', 'page', 'limit', 'category']),
        // Mostly a valid token and JSON, so most bodies reach the parser and the validator.
        fc.oneof({ weight: 5, arbitrary: fc.constant('valid') }, fc.constantFrom('none', 'wrong', 'odd')),
        fc.record(
          {
            'content-type': fc.oneof(
              { weight: 5, arbitrary: fc.constant('application/json') },
              fc.constantFrom(
                'application/json; charset=utf-16',
                'text/plain',
                'application/x-www-form-urlencoded',
                'application/json; charset=__proto__',
              ),
            ),
            'idempotency-key': headerValue,
            'accept-language': headerValue,
          },
          { requiredKeys: ['content-type'] },
        ),
        jsonBodies({ integration: 'testhr', externalId: 'u-1' }),
        async (route, idText, query, auth, headers, body) => {
          const id = idText === '__account__' ? accountId : encodeURIComponent(idText);
          const authorization =
            auth === 'valid'
              ? `Bearer ${apiToken}`
              : auth === 'wrong'
                ? 'Bearer tc_api_wrong'
                : auth === 'odd'
                  ? 'Basic __proto__'
                  : undefined;
          const request: Sent = {
            method: route.method,
            path: `${route.path(id)}${query ? `?${query}` : ''}`,
            headers: { ...headers, ...(authorization ? { authorization } : {}) },
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body }),
          };
          return check(request, await send(request), route.operationId);
        },
      ),
      { numRuns: 400, seed: SEED, endOnFailure: true },
    );
    expect(failures).toEqual([]);
  });

  it('the operational endpoints and unknown paths', SWEEP, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['GET', '/healthz', 'getHealth'],
          ['GET', '/openapi.json', 'getOpenApiSpec'],
          ['GET', '/.well-known/jwks.json', 'getJwks'],
          ['POST', '/healthz', undefined],
          ['GET', '/__proto__', undefined],
          ['GET', '/constructor/prototype', undefined],
          ['OPTIONS', '/integrated-accounts', undefined],
          ['HEAD', '/openapi.json', undefined],
        ),
        fc.array(nasty, { maxLength: 3 }),
        queryString(['lang']),
        fc.record({ 'accept-language': headerValue, origin: headerValue }, { requiredKeys: [] }),
        async ([method, path, operationId], extra, query, headers) => {
          const suffix = extra.length ? `/${extra.map(encodeURIComponent).join('/')}` : '';
          const request: Sent = {
            method,
            path: `${operationId ? path : `${path}${suffix}`}${query ? `?${query}` : ''}`,
            headers,
          };
          return check(request, await send(request), method === 'GET' && !suffix ? operationId : operationId);
        },
      ),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
    expect(failures).toEqual([]);
  });

  it('the connect pages', SWEEP, async () => {
    const linkToken = fc.oneof(fc.constantFrom(...linkTokens), nasty);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['GET', '/link/connect'],
          ['POST', '/link/connect'],
          ['GET', '/link/oauth/start'],
          ['GET', '/link/oauth/callback'],
          ['GET', '/link/status/'],
          ['OPTIONS', '/link/status/'],
          ['GET', '/link/'],
          ['PUT', '/link/connect'],
        ),
        linkToken,
        queryString(['lang', 'mode', 'nonce', 'origin', 'authFormat', 'subdomain', 'state', 'code', 'error']),
        fc.record(
          {
            'accept-language': headerValue,
            origin: fc.oneof(fc.constant('https://app.a.test'), headerValue),
            'content-type': fc.constantFrom(
              'application/x-www-form-urlencoded',
              'application/x-www-form-urlencoded; charset=__proto__',
              'application/json',
              'multipart/form-data',
            ),
          },
          { requiredKeys: [] },
        ),
        fc.oneof(
          queryString(['link_token', 'csrf', 'authFormat', 'subdomain', 'api_key', 'lang', '__proto__']),
          fc.constant(`link_token=x&${'a=b&'.repeat(200)}`),
          fc.constant(`api_key=${'k'.repeat(30 * 1024)}`),
        ),
        async ([method, path], token, query, headers, form) => {
          const withToken = path === '/link/status/' ? `${path}${encodeURIComponent(token)}` : path;
          const tokenParam = path === '/link/connect' || path === '/link/oauth/start';
          const q = [tokenParam ? `link_token=${encodeURIComponent(token)}` : '', query]
            .filter(Boolean)
            .join('&');
          const request: Sent = {
            method,
            path: `${withToken}${q ? `?${q}` : ''}`,
            headers,
            ...(method === 'POST' || method === 'PUT'
              ? { body: `link_token=${encodeURIComponent(token)}&${form}` }
              : {}),
          };
          return check(request, await send(request));
        },
      ),
      { numRuns: 250, seed: SEED, endOnFailure: true },
    );
    expect(failures).toEqual([]);
  });

  it('every troublesome body at every route that takes one, with and without a token', SWEEP, async () => {
    const routes = adminRoutes.filter((route) => route.method === 'POST');
    for (const route of routes) {
      for (const body of troubleBodies({ integration: 'testhr', externalId: 'u-1' })) {
        for (const authorization of [`Bearer ${apiToken}`, undefined]) {
          const request: Sent = {
            method: route.method,
            path: route.path(accountId),
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body,
          };
          check(request, await send(request), route.operationId);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers the reported inputs with clear 4xx', async () => {
    const admin = (path: string, body: string) =>
      send({
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body,
      });
    // Arrays: 20,000 levels of objects would be over the 100 KiB body limit (a 413).
    const deepMetadata = await admin(
      '/link-tokens',
      `{"integration":"testhr","metadata":{"a":${deepArray(20_000)}}}`,
    );
    expect(deepMetadata.status).toBe(400);
    expect(JSON.parse(deepMetadata.text)).toEqual({
      error: 'invalid_request',
      message: expect.stringContaining('32'),
    });
    const huge = await admin(
      '/link-tokens',
      `{"integration":"testhr","metadata":"${'x'.repeat(200 * 1024)}"}`,
    );
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text).error).toBe('payload_too_large');
    const lifetime = await admin(
      '/integrated-accounts',
      '{"integration":"bamboohr","authFormat":"oauth2","credentials":{"subdomain":"acme","access_token":"t","expires_in":1e300}}',
    );
    expect(lifetime.status).toBe(400);
    expect(JSON.parse(lifetime.text).error).toBe('invalid_credential');
    // BambooHR's OAuth needs the subdomain; starting it without one is the caller's omission.
    const start = await send({
      method: 'GET',
      path: `/link/oauth/start?link_token=${linkTokens[1]}&authFormat=oauth2`,
      headers: {},
    });
    expect(start.status).toBeGreaterThanOrEqual(400);
    expect(start.status).toBeLessThan(500);
    const pages: Sent[] = [
      { method: 'GET', path: `/link/connect?link_token=${linkTokens[0]}&lang=constructor`, headers: {} },
      {
        method: 'GET',
        path: `/link/connect?link_token=${linkTokens[0]}`,
        headers: { 'accept-language': '__proto__' },
      },
    ];
    for (const request of pages) {
      const answer = await send(request);
      expect(answer.status, `${request.path} ${JSON.stringify(request.headers)}`).toBeLessThan(500);
    }
  });
});
