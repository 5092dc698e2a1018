/**
 * Integration definitions that point at a test provider server, written to a temporary folder
 * for `--integrations DIR` / `createPlatform({ integrations })`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntegrationDefinition } from '../../src/integrations/definition.js';

export function testIntegrations(providerUrl: string): IntegrationDefinition[] {
  return [
    {
      name: 'testhr',
      label: 'Test HR',
      category: 'hris',
      baseUrl: `${providerUrl}/{subdomain}`,
      headers: { Accept: 'application/json' },
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [
            { name: 'subdomain', label: 'Subdomain', pattern: '^[a-z0-9_-]+$' },
            { name: 'api_key', label: 'API key', secret: true },
          ],
          apply: { basic: { username: '{api_key}', password: 'x' } },
        },
      ],
      postInstall: [
        {
          id: 'company',
          request: { method: 'GET', path: '/company' },
          timeoutMs: 500,
          context: {
            companyId: '$response.body.id',
            region: '$response.body.region',
            subdomain: '$credentials.subdomain',
          },
        },
      ],
      methods: [
        {
          name: 'list_employees',
          description: 'List employees',
          request: { method: 'GET', path: '/employees' },
        },
        {
          name: 'get_employee',
          description: 'Get an employee',
          request: { method: 'GET', path: '/employees/{id}' },
        },
      ],
    },
    {
      name: 'testcc',
      label: 'Test client credentials',
      baseUrl: providerUrl,
      authMethods: [
        {
          format: 'oauth2_client_credentials',
          label: 'Client credentials',
          fields: [
            { name: 'client_id', label: 'Client ID' },
            { name: 'client_secret', label: 'Client secret', secret: true },
            { name: 'sub', label: 'Act as', required: false, pattern: '^[0-9]+$' },
          ],
          oauth2: {
            grant: 'client_credentials',
            tokenUrl: `${providerUrl}/oauth/token`,
            clientAuth: 'basic',
            tokenParams: { sub: '{sub}' },
          },
          apply: { headers: { Authorization: 'Bearer {access_token}' } },
        },
      ],
      postInstall: [{ id: 'verify_users', request: { method: 'GET', path: '/v3/users' } }],
      methods: [
        { name: 'list_users', description: 'List users', request: { method: 'GET', path: '/v3/users' } },
      ],
    },
    {
      name: 'plain',
      label: 'Plain (no post-install)',
      baseUrl: providerUrl,
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [{ name: 'api_key', label: 'API key', secret: true }],
          apply: { headers: { Authorization: 'Bearer {api_key}' } },
        },
      ],
      methods: [{ name: 'ping', description: 'Ping', request: { method: 'GET', path: '/ping' } }],
    },
    {
      name: 'declared',
      label: 'Declared',
      baseUrl: `${providerUrl}/declared`,
      rateLimit: {
        statuses: [429],
        maxRetries: 1,
        maxWaitMs: 1000,
        bodyCode: { path: '$response.body.notice', values: ['slow_down'] },
      },
      bodyErrors: { okPath: '$response.body.ok', messagePath: '$response.body.error' },
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [{ name: 'api_key', label: 'API key', secret: true }],
          apply: { headers: { Authorization: 'Bearer {api_key}' } },
        },
      ],
      methods: [
        {
          name: 'list_items',
          description: 'List items',
          request: { method: 'GET', path: '/items', query: { cursor: '{cursor}', per_page: '{per_page}' } },
          input: {
            type: 'object',
            properties: { cursor: { type: 'string' }, per_page: { type: 'integer' } },
            additionalProperties: false,
          },
          pagination: { style: 'link_header' },
        },
        {
          name: 'create_item',
          description: 'Create an item',
          request: { method: 'POST', path: '/items' },
          input: { type: 'object', properties: { name: { type: 'string' } } },
        },
        {
          name: 'search_items',
          description: 'Search items',
          readOnly: true,
          request: { method: 'POST', path: '/items/search', body: { query: '$args.q' } },
          input: { type: 'object', properties: { q: { type: 'string' } } },
        },
      ],
    },
  ];
}

export function writeTestIntegrations(providerUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'truto-integrations-'));
  for (const def of testIntegrations(providerUrl)) {
    writeFileSync(join(dir, `${def.name}.json`), JSON.stringify(def, null, 2));
  }
  return dir;
}

/** An integration on the Acme HR sandbox whose setup fails after the credentials check. */
export function brokenSetupIntegrations(sandboxUrl: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'truto-defs-'));
  writeFileSync(
    join(dir, 'acmehr-broken.json'),
    JSON.stringify({
      name: 'acmehr-broken',
      label: 'Acme HR (broken setup)',
      baseUrl: `${sandboxUrl}/api`,
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [{ name: 'api_key', label: 'API key', secret: true }],
          apply: { headers: { 'X-API-Key': '{api_key}' } },
        },
      ],
      postInstall: [
        { id: 'company', request: { method: 'GET', path: '/company' } },
        { id: 'settings', request: { method: 'GET', path: '/settings' } },
      ],
    }),
  );
  // Its first step meets an answer the definition declares a throttle: the sandbox's 401 for a
  // wrong key stands in for Google's 403 userRateLimitExceeded, a refusal status whose body
  // says "throttled", so nothing is known of the key.
  writeFileSync(
    join(dir, 'acmehr-throttled.json'),
    JSON.stringify({
      name: 'acmehr-throttled',
      label: 'Acme HR (throttled)',
      baseUrl: `${sandboxUrl}/api`,
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [{ name: 'api_key', label: 'API key', secret: true }],
          apply: { headers: { 'X-API-Key': '{api_key}' } },
        },
      ],
      postInstall: [{ id: 'company', request: { method: 'GET', path: '/company' } }],
      rateLimit: { bodyCode: { path: '$response.body.error', values: ['invalid_api_key'] }, maxRetries: 0 },
    }),
  );
  return [dir];
}

/** The sandbox's authorization-code settings and Bearer placement, for one API scope. */
function sandboxSignIn(sandboxUrl: string, scope: string) {
  return {
    oauth2: {
      grant: 'authorization_code',
      authorizeUrl: `${sandboxUrl}/oauth/authorize`,
      tokenUrl: `${sandboxUrl}/oauth/token`,
      scopes: [scope, 'offline_access'],
      clientAuth: 'body',
      authorizeParams: { prompt: 'consent' },
    },
    apply: { headers: { Authorization: 'Bearer {access_token}' } },
  };
}

/**
 * An integration on the Acme HR sandbox whose OAuth method has a field, as BambooHR's needs the
 * company subdomain: here the API's path on the sandbox (`api`), used in `baseUrl`, so a wrong
 * value fails the connect and the right one is kept in the account.
 */
export function oauthWithFieldIntegrations(sandboxUrl: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'truto-defs-'));
  writeFileSync(
    join(dir, 'acmehr-fields.json'),
    JSON.stringify({
      name: 'acmehr-fields',
      label: 'Acme HR (with a field)',
      baseUrl: `${sandboxUrl}/{api_path}`,
      authMethods: [
        {
          format: 'oauth2',
          label: 'Sign in with Acme HR',
          fields: [
            {
              name: 'api_path',
              label: 'API path',
              pattern: '^[a-z]+$',
              help: 'The sandbox serves its API at api.',
            },
          ],
          ...sandboxSignIn(sandboxUrl, 'company:read'),
        },
      ],
      postInstall: [
        {
          id: 'company',
          request: { method: 'GET', path: '/company' },
          context: { companyName: '$response.body.name', apiPath: '$credentials.api_path' },
        },
      ],
    }),
  );
  // An optional field that picks one listed item at post-install, as Jira's site does.
  writeFileSync(
    join(dir, 'acmehr-select.json'),
    JSON.stringify({
      name: 'acmehr-select',
      label: 'Acme HR (pick an employee)',
      baseUrl: `${sandboxUrl}/api`,
      authMethods: [
        {
          format: 'oauth2',
          label: 'Sign in with Acme HR',
          fields: [
            {
              name: 'employee_email',
              label: 'Employee email',
              required: false,
              pattern: '^[^@\\s]+@[^@\\s]+$',
              help: 'The employee this account acts for; the first one when empty.',
            },
          ],
          ...sandboxSignIn(sandboxUrl, 'employees:read'),
        },
      ],
      postInstall: [
        {
          id: 'employees',
          request: { method: 'GET', path: '/employees' },
          select: { items: '$response.body.data', where: { email: '{employee_email}' } },
          context: { employeeId: '$selected.id' },
        },
      ],
    }),
  );
  return [dir];
}

/** The sandbox's default OAuth client, for the extra sandbox integrations above. */
export const SANDBOX_OAUTH_CLIENT = {
  clientId: 'truto-platform',
  clientSecret: 'truto-sandbox-client-secret',
};
