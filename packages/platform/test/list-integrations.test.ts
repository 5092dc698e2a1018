/**
 * `GET /integrations` over HTTP on a real platform: the answer holds to the served spec, needs
 * the tenant token, filters by category (400 outside the spec's list), lists every shipped
 * definition with its MCP tools, and publishes no
 * secret: not the operator's OAuth app, not a secret field's default, not OAuth URLs or
 * token parameters.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrationCatalogue } from '../src/integrations/catalogue.js';
import type { IntegrationDefinition } from '../src/integrations/definition.js';
import { toolsOf } from '../src/mcp/tools.js';
import { compileResponseValidator } from '../src/openapi/operation-validators.js';
import { loadOpenApiDocument } from '../src/openapi/spec.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';

const validateResponse = compileResponseValidator(loadOpenApiDocument());
const CLIENT_SECRET = 'operator-oauth-secret-5f1c2b';
const CLIENT_ID = 'operator-oauth-client-id-77aa';
const FIELD_DEFAULT_SECRET = 'shared-default-secret-9e0d';

/** An integration whose methods carry secrets in every place a definition can hold one. */
const secretive: IntegrationDefinition = {
  name: 'secretive',
  label: 'Secretive',
  category: 'files',
  docsUrl: 'https://docs.secretive.example/api',
  baseUrl: 'https://api.secretive.example',
  authMethods: [
    {
      format: 'api_key',
      label: 'API key',
      help: 'Settings, API keys.',
      helpUrl: 'https://docs.secretive.example/keys',
      fields: [
        {
          name: 'region',
          label: 'Region',
          options: [
            { value: 'eu', label: 'Europe' },
            { value: 'us', label: 'United States' },
          ],
          default: 'eu',
          required: false,
        },
        {
          name: 'api_key',
          label: 'API key',
          secret: true,
          required: false,
          default: FIELD_DEFAULT_SECRET,
          helpUrl: 'https://docs.secretive.example/keys#find',
        },
      ],
      apply: { headers: { 'X-Key': '{api_key}', 'X-Internal': 'internal-apply-value' } },
    },
    {
      format: 'oauth2',
      label: 'Sign in',
      oauth2: {
        grant: 'authorization_code',
        authorizeUrl: 'https://secretive.example/internal-authorize',
        tokenUrl: 'https://secretive.example/internal-token',
        tokenParams: { audience: 'internal-token-param' },
        tokenResponseFields: [{ name: 'tenant_url', label: 'Tenant', pattern: '^https://x$' }],
      },
      apply: { headers: { Authorization: 'Bearer {access_token}' } },
    },
  ],
  methods: [
    { name: 'list_files', description: 'List files.', request: { method: 'GET', path: '/files' } },
    { name: 'upload_file', description: 'Upload a file.', request: { method: 'POST', path: '/files' } },
  ],
};

/** The same without an operator OAuth app. */
const unconfigured: IntegrationDefinition = { ...secretive, name: 'unconfigured', category: 'other' };

describe('GET /integrations', () => {
  let platform: Platform;
  let database: TestDatabase;
  let url: string;
  let token: string;
  let definitionsDir: string;

  beforeAll(async () => {
    definitionsDir = mkdtempSync(join(tmpdir(), 'truto-defs-'));
    for (const def of [secretive, unconfigured]) {
      writeFileSync(join(definitionsDir, `${def.name}.json`), JSON.stringify(def));
    }
    database = await createTestDatabase('sqlite');
    platform = await createPlatform({
      database: database.url,
      secretKey: TEST_SECRET_KEY,
      integrations: [definitionsDir],
      oauthClients: { secretive: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } },
      logger: pino({ level: 'silent' }),
    });
    url = (await platform.listen(0, '127.0.0.1')).url;
    token = (await platform.tenants.create({ name: 'SaaS', allowedOrigins: ['https://app.test'] })).apiToken;
  });
  afterAll(async () => {
    await platform?.close();
    await database?.dispose();
    rmSync(definitionsDir, { recursive: true, force: true });
  });

  async function list(query = '', auth: string | null = `Bearer ${token}`) {
    const res = await fetch(`${url}/integrations${query}`, {
      headers: auth === null ? {} : { authorization: auth },
    });
    const text = await res.text();
    const body = JSON.parse(text);
    expect(validateResponse('listIntegrations', res.status, body), text).toEqual([]);
    return { status: res.status, headers: res.headers, body, text };
  }

  it('lists every shipped definition and the extra ones, by name, in the spec’s shape', async () => {
    const { status, body, headers } = await list();
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    const shipped = IntegrationCatalogue.load().names();
    expect(shipped.length).toBeGreaterThan(0);
    expect(body.data.map((i: { name: string }) => i.name)).toEqual(
      [...shipped, 'secretive', 'unconfigured'].sort(),
    );
    // Each shipped integration's tools are its MCP tools, with their groups.
    const catalogue = IntegrationCatalogue.load([]);
    for (const name of shipped) {
      const def = catalogue.require(name);
      const listed = body.data.find((i: { name: string }) => i.name === name);
      expect(listed.tools).toEqual(toolsOf(def).map((t) => ({ name: t.name, group: t.group })));
      expect(listed.authMethods.map((m: { format: string }) => m.format)).toEqual(
        def.authMethods.map((m) => m.format),
      );
    }
  });

  it('answers each integration’s fields, help and tools, and only whether an OAuth app is configured', async () => {
    const { body } = await list();
    expect(body.data.find((i: { name: string }) => i.name === 'secretive')).toEqual({
      name: 'secretive',
      label: 'Secretive',
      category: 'files',
      docsUrl: 'https://docs.secretive.example/api',
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          help: 'Settings, API keys.',
          helpUrl: 'https://docs.secretive.example/keys',
          fields: [
            {
              name: 'region',
              label: 'Region',
              required: false,
              secret: false,
              default: 'eu',
              options: [
                { value: 'eu', label: 'Europe' },
                { value: 'us', label: 'United States' },
              ],
            },
            {
              name: 'api_key',
              label: 'API key',
              required: false,
              secret: true,
              helpUrl: 'https://docs.secretive.example/keys#find',
            },
          ],
        },
        { format: 'oauth2', label: 'Sign in', fields: [], oauthClientConfigured: true },
      ],
      tools: [
        { name: 'list_files', group: 'read' },
        { name: 'upload_file', group: 'write' },
      ],
    });
    const other = body.data.find((i: { name: string }) => i.name === 'unconfigured');
    expect(other.authMethods[1]).toEqual({
      format: 'oauth2',
      label: 'Sign in',
      fields: [],
      oauthClientConfigured: false,
    });
  });

  it('never publishes a secret: not the OAuth app, not a secret default, not URLs or templates', async () => {
    const { text } = await list();
    for (const secret of [
      CLIENT_SECRET,
      CLIENT_ID,
      FIELD_DEFAULT_SECRET,
      'internal-apply-value',
      'internal-token-param',
      'internal-authorize',
      'internal-token',
      'tenant_url',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('filters by category: exactly the integrations of that category', async () => {
    const shipped = IntegrationCatalogue.load();
    const extra: Record<string, string> = { secretive: 'files', unconfigured: 'other' };
    const categories = ['hris', 'ats', 'crm', 'ticketing', 'dev', 'communication', 'files', 'other'];
    for (const category of categories) {
      const expected = [
        ...shipped.names().filter((name) => shipped.require(name).category === category),
        ...Object.keys(extra).filter((name) => extra[name] === category),
      ].sort();
      const { status, body } = await list(`?category=${category}`);
      expect(status, category).toBe(200);
      expect(
        body.data.map((i: { name: string }) => i.name),
        category,
      ).toEqual(expected);
    }
  });

  it('refuses a category outside the spec’s list, and unknown parameters, with 400 invalid_request', async () => {
    for (const query of ['?category=payroll', '?category=', '?category=__proto__', '?sort=name']) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body.error, query).toBe('invalid_request');
    }
  });

  it('needs the tenant token (401 with WWW-Authenticate), like every Admin API route', async () => {
    for (const auth of [null, 'Bearer tc_api_wrong', 'Basic eDp5']) {
      const { status, headers, body } = await list('', auth);
      expect(status).toBe(401);
      expect(body.error).toBe('unauthorized');
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('answers 405 to other methods', async () => {
    const res = await fetch(`${url}/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect((await res.json()).error).toBe('method_not_allowed');
  });
});
