/**
 * A platform with the real Acme HR sandbox behind `acmehr`, a tenant, an API-key account and
 * helpers that call the Admin API: what the MCP tests need, on a given database.
 */
import { createSandbox, DEFAULT_API_KEY, type Sandbox } from '@truto-connect/sandbox';
import { pino } from 'pino';
import type { DatabaseKind } from '../../src/db/database.js';
import { createPlatform, type Platform, type PlatformOptions } from '../../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './databases.js';
import { listenOnLoopback } from './loopback-port.js';

export interface McpWorld {
  platform: Platform;
  baseUrl: string;
  sandbox: Sandbox;
  sandboxUrl: string;
  database: TestDatabase;
  apiToken: string;
  tenantId: string;
  accountId: string;
  /** An Admin API call with the tenant's token; the parsed JSON body (or null). */
  admin(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** Mints an MCP server for the account; its `mcpUrl` and id. */
  mcpServer(body?: Record<string, unknown>): Promise<{ id: string; mcpUrl: string; [k: string]: unknown }>;
  close(): Promise<void>;
}

export async function startMcpWorld(
  kind: DatabaseKind = 'sqlite',
  options: Pick<PlatformOptions, 'mcp' | 'logger'> & { database?: TestDatabase } = {},
): Promise<McpWorld> {
  const sandboxPort = await listenOnLoopback();
  const sandboxUrl = sandboxPort.url;
  const sandbox = createSandbox({ publicUrl: sandboxUrl, platformUrl: 'http://localhost:4000' });
  sandboxPort.serve(sandbox.app);
  const database = options.database ?? (await createTestDatabase(kind));
  const platform = await createPlatform({
    database: database.url,
    secretKey: TEST_SECRET_KEY,
    sandboxUrl,
    logger: options.logger ?? pino({ level: 'silent' }),
    webhooks: false,
    ...(options.mcp ? { mcp: options.mcp } : {}),
  });
  const { url: baseUrl } = await platform.listen(0, '127.0.0.1');
  const { tenant, apiToken } = await platform.tenants.create({
    name: 'SaaS',
    allowedOrigins: ['https://app.saas.test'],
  });
  const admin = async (method: string, path: string, body?: unknown, token = apiToken) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  };
  const created = await admin('POST', '/integrated-accounts', {
    integration: 'acmehr',
    credentials: { api_key: DEFAULT_API_KEY },
  });
  if (created.status !== 201) throw new Error(`account: ${created.status} ${JSON.stringify(created.body)}`);
  const accountId = created.body.id as string;
  return {
    platform,
    baseUrl,
    sandbox,
    sandboxUrl,
    database,
    apiToken,
    tenantId: tenant.id,
    accountId,
    admin,
    async mcpServer(body = {}) {
      const r = await admin('POST', `/integrated-accounts/${accountId}/mcp`, body);
      if (r.status !== 201) throw new Error(`mcp server: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async close() {
      await platform.close();
      await sandboxPort.close();
      if (!options.database) await database.dispose();
    },
  };
}
