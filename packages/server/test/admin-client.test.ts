/**
 * createAdminClient against the real platform: every method of the spec, typed answers, and
 * `AdminApiError` carrying the server's `error` and `message`.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApiError, createAdminClient } from '../src/index.js';
import { SANDBOX_KEY, startWorld, type World } from './support/world.js';

describe('createAdminClient', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(express);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('creates, reads, lists, re-runs, provisions MCP for and deletes an account', async () => {
    const admin = createAdminClient({ baseUrl: w.platformUrl, apiToken: w.tenantA.apiToken });
    const created = await admin.createIntegratedAccount({
      integration: 'acmehr',
      name: 'Acme',
      credentials: { api_key: SANDBOX_KEY },
    });
    expect(created).toMatchObject({
      integration: 'acmehr',
      status: 'active',
      context: { companyId: 'co_acme' },
    });
    const id = created.id as string;
    expect(await admin.getIntegratedAccount(id)).toMatchObject({ id, name: 'Acme' });
    const list = await admin.listIntegratedAccounts({ integration: 'acmehr', limit: 100 });
    expect(list.data?.map((account) => account.id)).toContain(id);
    expect(await admin.runPostInstallActions(id)).toMatchObject({ id, status: 'active' });
    const mcp = await admin.createMcpServer(id, { requireAdditionalAuth: true });
    expect(mcp.mcpUrl).toMatch(/\/mcp\//);
    const token = await admin.createLinkToken({
      integration: 'acmehr',
      externalId: 'user-1',
      integratedAccountId: id,
    });
    expect(token.token).toMatch(/^tc_link_/);
    await admin.deleteIntegratedAccount(id);
    const gone = await admin.getIntegratedAccount(id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(AdminApiError);
    expect(gone).toMatchObject({ status: 404, error: 'not_found' });
  });

  it('turns refusals into AdminApiError with the server’s error and message, never the token', async () => {
    const admin = createAdminClient({ baseUrl: w.platformUrl, apiToken: 'tc_api_wrong' });
    const refused = await admin.listIntegratedAccounts().catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'AdminApiError', status: 401, error: 'unauthorized' });
    expect(String((refused as Error).message)).not.toContain('tc_api_wrong');
    const good = createAdminClient({ baseUrl: w.platformUrl, apiToken: w.tenantA.apiToken });
    const bad = await good.createLinkToken({ integration: 'nope' }).catch((error: unknown) => error);
    expect(bad).toMatchObject({ status: 400, error: 'unknown_integration' });
    // Nothing listens on port 9 of loopback (discard): a network failure, status 0.
    const down = createAdminClient({ baseUrl: 'http://127.0.0.1:9', apiToken: 'tc_api_x' });
    expect(await down.listIntegratedAccounts().catch((error: unknown) => error)).toMatchObject({
      status: 0,
      error: 'unreachable',
    });
  });

  it('exposes the typed openapi-fetch client for anything else', async () => {
    const admin = createAdminClient({ baseUrl: `${w.platformUrl}/`, apiToken: w.tenantA.apiToken });
    const { data, response } = await admin.raw.GET('/healthz');
    expect(response.status).toBe(200);
    expect(data).toEqual({ status: 'ok', database: 'ok' });
  });

  it('validates its options at creation', () => {
    expect(() => createAdminClient({ baseUrl: 'file:///etc', apiToken: 'x' })).toThrow(/baseUrl/);
    expect(() => createAdminClient({ baseUrl: 'https://a.test', apiToken: '' })).toThrow(/apiToken/);
    expect(() => createAdminClient({ baseUrl: 'https://a.test', apiToken: 'x', extra: 1 } as never)).toThrow(
      /unknown option "extra"/,
    );
  });
});
