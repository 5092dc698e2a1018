import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/crypto/tokens.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { json } from './support/provider-server.js';

const API_KEY = 'secret-api-key-4f1c9e';

describe.each(DATABASE_KINDS)('Admin API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const createAccount = (body: unknown, token?: string) =>
    h.call('createIntegratedAccount', 'POST', '/integrated-accounts', { body, ...(token ? { token } : {}) });

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate when the token is missing', async () => {
      const res = await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts', { token: null });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="truto"');
    });

    it('answers 401 invalid_token for a wrong token', async () => {
      const res = await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts', {
        token: `${h.tenantA.token}x`,
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('refuses malformed Authorization headers', async () => {
      const res = await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts', {
        token: null,
        headers: { authorization: `Basic ${h.tenantA.token}` },
      });
      expect(res.status).toBe(401);
    });

    it('stores API tokens only as hashes', async () => {
      const rows = await h.platform.database.db.selectFrom('tenants').select('api_token_hash').execute();
      expect(rows.map((r) => r.api_token_hash)).toContain(hashSecret(h.tenantA.token));
      expect(JSON.stringify(rows)).not.toContain(h.tenantA.token);
    });
  });

  describe('creating integrated accounts', () => {
    it('checks credentials, runs post-install and fills context', async () => {
      const res = await createAccount({
        integration: 'testhr',
        name: 'Acme HR',
        credentials: { subdomain: 'acme', api_key: API_KEY },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        integration: 'testhr',
        status: 'active',
        name: 'Acme HR',
        context: { companyId: 'co_1', region: 'eu', subdomain: 'acme' },
      });
      expect(res.body.id).toMatch(/^acc_[0-9a-f]{24}$/);
      const call = h.provider.requests.at(-1);
      expect(call?.url).toBe('/acme/company');
      expect(call?.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:x`).toString('base64')}`);
    });

    it('never returns, logs or stores credentials in clear', async () => {
      const res = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'acme', api_key: API_KEY },
      });
      expect(JSON.stringify(res.body)).not.toContain(API_KEY);
      const got = await h.call('getIntegratedAccount', 'GET', `/integrated-accounts/${res.body.id}`);
      expect(JSON.stringify(got.body)).not.toContain(API_KEY);
      expect(h.logs.join('')).not.toContain(API_KEY);
      const row = await h.platform.database.db
        .selectFrom('integrated_accounts')
        .selectAll()
        .where('id', '=', res.body.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(API_KEY);
      expect(row.credentials).toMatch(/^v1\.[0-9a-f]{12}\./);
    });

    it('names a missing credential field in a 400', async () => {
      const res = await createAccount({ integration: 'testhr', credentials: { subdomain: 'acme' } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('missing_credential');
      expect(res.body.message).toContain('"api_key"');
    });

    it('refuses a credential that breaks the field pattern, and unknown fields', async () => {
      const bad = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'Not OK!', api_key: 'k' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_credential');
      const extra = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'acme', api_key: 'k', pasword: 'x' },
      });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toContain('"pasword"');
    });

    it('refuses an integration outside the catalogue', async () => {
      const res = await createAccount({ integration: 'nope', credentials: {} });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unknown_integration');
    });

    it('answers bad bodies with 4xx in the error shape', async () => {
      const cases: Array<[Parameters<Harness['call']>[3], number, string]> = [
        [
          { rawBody: '{"integration":', headers: { 'content-type': 'application/json' } },
          400,
          'invalid_json',
        ],
        [{ body: { integration: 42 } }, 400, 'invalid_request'],
        [{ body: { name: 'x' } }, 400, 'invalid_request'],
        [{ body: [1, 2] }, 400, 'invalid_request'],
        [{ rawBody: 'null', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
        [{ body: { integration: 'testhr', credentials: 'k' } }, 400, 'invalid_request'],
        [
          { rawBody: 'integration=testhr', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          415,
          'unsupported_media_type',
        ],
        [{}, 400, 'invalid_request'],
        [{ body: { integration: 'testhr', name: 'x'.repeat(200 * 1024) } }, 413, 'payload_too_large'],
      ];
      for (const [options, status, code] of cases) {
        const res = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', options);
        expect([res.status, res.body.error], JSON.stringify(options).slice(0, 80)).toEqual([status, code]);
        expect(typeof res.body.message).toBe('string');
      }
    });
  });

  describe('post-install failures', () => {
    it('keeps the account with status error and the reason', async () => {
      h.provider.route('GET /broken/company', (_req, res) => json(res, 503, { message: 'maintenance' }));
      const res = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'broken', api_key: 'k' },
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('error');
      expect(res.body.statusReason).toContain('"company"');
      expect(res.body.statusReason).toContain('503');
    });

    it('re-running answers 200 with the new status, and recovers when the provider does', async () => {
      let up = false;
      h.provider.route('GET /flaky/company', (_req, res) =>
        up ? json(res, 200, { id: 'co_f', region: 'us' }) : json(res, 500, {}),
      );
      const created = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'flaky', api_key: 'k' },
      });
      expect(created.body.status).toBe('error');
      const path = `/integrated-accounts/${created.body.id}/run-post-install-actions`;
      const again = await h.call('runPostInstallActions', 'POST', path);
      expect([again.status, again.body.status]).toEqual([200, 'error']);
      up = true;
      const fixed = await h.call('runPostInstallActions', 'POST', path);
      expect(fixed.status).toBe(200);
      expect(fixed.body).toMatchObject({ status: 'active', context: { companyId: 'co_f', region: 'us' } });
      expect(fixed.body.statusReason).toBeUndefined();
    });

    it('times a step out instead of hanging', async () => {
      h.provider.route('GET /slow/company', () => {
        /* never answers */
      });
      const res = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'slow', api_key: 'k' },
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('error');
      expect(res.body.statusReason).toMatch(/no answer within 500 ms/);
    });

    it('gets a client-credentials token (Basic client auth, sub) before the step', async () => {
      h.provider.route('POST /oauth/token', (req, res) => {
        const params = new URLSearchParams(req.body);
        const basic = Buffer.from('cid:csecret').toString('base64');
        if (
          req.headers.authorization !== `Basic ${basic}` ||
          params.get('grant_type') !== 'client_credentials'
        ) {
          json(res, 401, { error: 'invalid_client' });
          return;
        }
        json(res, 200, {
          access_token: `tok-for-${params.get('sub')}`,
          token_type: 'Bearer',
          expires_in: 3600,
        });
      });
      h.provider.route('GET /v3/users', (req, res) =>
        req.headers.authorization === 'Bearer tok-for-42' ? json(res, 200, [{ id: 1 }]) : json(res, 401, {}),
      );
      const ok = await createAccount({
        integration: 'testcc',
        credentials: { client_id: 'cid', client_secret: 'csecret', sub: '42' },
      });
      expect(ok.body.status).toBe('active');
      const refused = await createAccount({
        integration: 'testcc',
        credentials: { client_id: 'cid', client_secret: 'wrong', sub: '42' },
      });
      expect(refused.body.status).toBe('error');
      expect(refused.body.statusReason).toContain('invalid_client');
      expect(h.logs.join('')).not.toContain('csecret');
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another tenant's account on every operation", async () => {
      const created = await createAccount({ integration: 'plain', credentials: { api_key: 'k' } });
      const id = created.body.id as string;
      const asB = { token: h.tenantB.token };
      const get = await h.call('getIntegratedAccount', 'GET', `/integrated-accounts/${id}`, asB);
      const run = await h.call(
        'runPostInstallActions',
        'POST',
        `/integrated-accounts/${id}/run-post-install-actions`,
        asB,
      );
      const mcp = await h.call('createMcpServer', 'POST', `/integrated-accounts/${id}/mcp`, {
        ...asB,
        body: {},
      });
      const del = await h.call('deleteIntegratedAccount', 'DELETE', `/integrated-accounts/${id}`, asB);
      expect([get.status, run.status, mcp.status, del.status]).toEqual([404, 404, 404, 404]);
      expect(get.body.error).toBe('not_found');
      const list = await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts', asB);
      expect(list.body.data.map((a: { id: string }) => a.id)).not.toContain(id);
      const link = await h.call('createLinkToken', 'POST', '/link-tokens', {
        ...asB,
        body: { integration: 'plain', integratedAccountId: id },
      });
      expect(link.status).toBe(400);
      const still = await h.call('getIntegratedAccount', 'GET', `/integrated-accounts/${id}`);
      expect(still.status).toBe(200);
    });
  });

  describe('link tokens', () => {
    it('mints a 10-minute token whose hash alone is stored', async () => {
      const before = Date.now();
      const res = await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: {
          integration: 'testhr',
          externalId: 'user-1',
          redirectUri: 'https://app.a.test/done',
          scopes: ['a'],
        },
      });
      expect(res.status).toBe(201);
      const { token, linkUrl, expiresAt } = res.body;
      expect(token).toMatch(/^tc_link_[A-Za-z0-9_-]{43}$/);
      const url = new URL(linkUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${h.baseUrl}/link/connect`);
      expect(url.searchParams.get('link_token')).toBe(token);
      const ttl = Date.parse(expiresAt) - before;
      expect(ttl).toBeGreaterThan(599_000);
      expect(ttl).toBeLessThanOrEqual(601_000);
      const rows = await h.platform.database.db.selectFrom('link_tokens').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows.some((r) => r.token_hash === hashSecret(token) && r.external_id === 'user-1')).toBe(true);
    });

    it('refuses redirect URIs outside the allowed origins', async () => {
      const cases: Array<[string, string]> = [
        ['https://evil.test/done', 'redirect_uri_not_allowed'],
        ['https://app.a.test.evil.test/x', 'redirect_uri_not_allowed'],
        ['http://app.a.test/done', 'redirect_uri_not_allowed'],
        ['https://app.a.test:8443/done', 'redirect_uri_not_allowed'],
        ['https://user@app.a.test/done', 'redirect_uri_not_allowed'],
        ['javascript:alert(1)', 'redirect_uri_not_allowed'],
        ['https://app.b.test/done', 'redirect_uri_not_allowed'],
        ['not a url', 'invalid_request'],
      ];
      for (const [redirectUri, code] of cases) {
        const res = await h.call('createLinkToken', 'POST', '/link-tokens', {
          body: { integration: 'testhr', redirectUri },
        });
        expect([res.status, res.body.error], redirectUri).toEqual([400, code]);
      }
    });

    it('checks scopes, integration and reconnect targets', async () => {
      const scopes = await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: { integration: 'testhr', scopes: 'read write' },
      });
      expect([scopes.status, scopes.body.error]).toEqual([400, 'invalid_request']);
      const scopeItems = await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: { integration: 'testhr', scopes: ['ok', 3] },
      });
      expect(scopeItems.status).toBe(400);
      const unknown = await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: { integration: 'nope' },
      });
      expect(unknown.body.error).toBe('unknown_integration');
      const missing = await h.call('createLinkToken', 'POST', '/link-tokens', { body: {} });
      expect(missing.status).toBe(400);
      const account = await createAccount({ integration: 'plain', credentials: { api_key: 'k' } });
      const wrongIntegration = await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: { integration: 'testhr', integratedAccountId: account.body.id },
      });
      expect(wrongIntegration.status).toBe(400);
      const reconnect = await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: { integration: 'plain', integratedAccountId: account.body.id },
      });
      expect(reconnect.status).toBe(201);
    });

    it('is consumed exactly once, even by concurrent attempts, and not after expiry', async () => {
      const { token } = (
        await h.call('createLinkToken', 'POST', '/link-tokens', {
          body: { integration: 'testhr', externalId: 'u' },
        })
      ).body;
      const store = h.platform.stores.linkTokens;
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consume(token)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.consume(token)).toBeUndefined();

      const fresh = (
        await h.call('createLinkToken', 'POST', '/link-tokens', { body: { integration: 'testhr' } })
      ).body;
      const afterExpiry = new Date(Date.parse(fresh.expiresAt) + 1);
      expect(await store.findUsable(fresh.token, afterExpiry)).toBeUndefined();
      expect(await store.consume(fresh.token, afterExpiry)).toBeUndefined();
      expect(await store.consume(fresh.token)).toBeTruthy();
    });
  });

  describe('MCP servers', () => {
    it('creates a server with a 256-bit secret URL, stored hashed', async () => {
      const account = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'acme', api_key: 'k' },
      });
      const res = await h.call('createMcpServer', 'POST', `/integrated-accounts/${account.body.id}/mcp`, {
        body: { allowedMethods: ['get_employee'], requireAdditionalAuth: true },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        transport: 'http',
        integratedAccountId: account.body.id,
        allowedMethods: ['get_employee'],
        requireAdditionalAuth: true,
      });
      const secret = (res.body.mcpUrl as string).replace(`${h.baseUrl}/mcp/`, '');
      expect(Buffer.from(secret.replace('tc_mcp_', ''), 'base64url').length).toBeGreaterThanOrEqual(32);
      const rows = await h.platform.database.db.selectFrom('mcp_servers').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(rows.some((r) => r.secret_hash === hashSecret(secret))).toBe(true);
    });

    it('takes no body, and refuses unknown methods', async () => {
      const account = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'acme', api_key: 'k' },
      });
      const path = `/integrated-accounts/${account.body.id}/mcp`;
      const bare = await h.call('createMcpServer', 'POST', path);
      expect(bare.status).toBe(201);
      expect(bare.body.allowedMethods).toBeUndefined();
      expect(bare.body.requireAdditionalAuth).toBe(false);
      const unknown = await h.call('createMcpServer', 'POST', path, {
        body: { allowedMethods: ['drop_tables'] },
      });
      expect([unknown.status, unknown.body.error]).toEqual([400, 'unknown_method']);
      const empty = await h.call('createMcpServer', 'POST', path, { body: { allowedMethods: [] } });
      expect(empty.status).toBe(400);
      const badFlag = await h.call('createMcpServer', 'POST', path, {
        body: { requireAdditionalAuth: 'yes' },
      });
      expect(badFlag.status).toBe(400);
      const stdio = await h.call('createMcpServer', 'POST', path, { body: { transport: 'stdio' } });
      expect(stdio.body.transport).toBe('stdio');
      const missing = await h.call('createMcpServer', 'POST', '/integrated-accounts/acc_missing/mcp', {
        body: {},
      });
      expect(missing.status).toBe(404);
    });
  });

  describe('deleting', () => {
    it('removes credentials, MCP servers and link tokens: 204, then 404', async () => {
      const account = await createAccount({
        integration: 'testhr',
        credentials: { subdomain: 'acme', api_key: 'k' },
      });
      const id = account.body.id as string;
      await h.call('createMcpServer', 'POST', `/integrated-accounts/${id}/mcp`, { body: {} });
      await h.call('createLinkToken', 'POST', '/link-tokens', {
        body: { integration: 'testhr', integratedAccountId: id },
      });
      const del = await h.call('deleteIntegratedAccount', 'DELETE', `/integrated-accounts/${id}`);
      expect(del.status).toBe(204);
      expect(del.body).toBeUndefined();
      const db = h.platform.database.db;
      expect(await db.selectFrom('integrated_accounts').select('id').where('id', '=', id).execute()).toEqual(
        [],
      );
      expect(
        await db.selectFrom('mcp_servers').select('id').where('integrated_account_id', '=', id).execute(),
      ).toEqual([]);
      expect(
        await db
          .selectFrom('link_tokens')
          .select('token_hash')
          .where('integrated_account_id', '=', id)
          .execute(),
      ).toEqual([]);
      const again = await h.call('deleteIntegratedAccount', 'DELETE', `/integrated-accounts/${id}`);
      expect(again.status).toBe(404);
      const get = await h.call('getIntegratedAccount', 'GET', `/integrated-accounts/${id}`);
      expect(get.status).toBe(404);
    });
  });

  describe('routing', () => {
    it('answers unknown paths 404 and wrong methods 405, in the error shape', async () => {
      const notFound = await fetch(`${h.baseUrl}/nope`);
      expect(notFound.status).toBe(404);
      expect(await notFound.json()).toMatchObject({ error: 'not_found' });
      const wrong = await fetch(`${h.baseUrl}/link-tokens`, {
        headers: { authorization: `Bearer ${h.tenantA.token}` },
      });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
      expect(await wrong.json()).toMatchObject({ error: 'method_not_allowed' });
    });

    it('serves the JWKS that verifies signed results', async () => {
      const res = await h.call('getJwks', 'GET', '/.well-known/jwks.json', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.body.keys).toHaveLength(1);
      expect(res.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(res.body.keys[0].d).toBeUndefined();
    });

    it('serves /healthz and /openapi.json without a token', async () => {
      const health = await h.call('getHealth', 'GET', '/healthz', { token: null });
      expect(health.body).toEqual({ status: 'ok', database: 'ok' });
      const spec = await h.call('getOpenApiSpec', 'GET', '/openapi.json', { token: null });
      expect(spec.body.paths['/link-tokens'].post.operationId).toBe('createLinkToken');
      expect(spec.body.components.schemas.IntegratedAccount.properties.statusReason).toBeDefined();
    });
  });
});
