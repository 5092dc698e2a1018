import { type ChildProcess, spawnSync } from 'node:child_process';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSandbox, DEFAULT_API_KEY, type Sandbox } from '@truto-connect/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';
import { type LoopbackPort, listenOnLoopback } from './support/loopback-port.js';
import { v2Client } from './support/mcp-clients.js';
import { CLI, serveProcess } from './support/serve-process.js';

describe('MCP on two platform processes sharing one PostgreSQL database', () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let sandboxPort: LoopbackPort;
  let processes: ChildProcess[] = [];
  let a: string;
  let b: string;
  let apiToken: string;
  let accountId: string;

  const admin = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    sandboxPort = await listenOnLoopback();
    const env = {
      DATABASE_URL: database.url,
      TRUTO_SECRET_KEY: TEST_SECRET_KEY,
      SANDBOX_URL: sandboxPort.url,
    };
    spawnSync(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...env } });
    const created = spawnSync(process.execPath, [CLI, 'tenants', 'create', '--name', 'Scale'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    apiToken = JSON.parse(created.stdout).apiToken;
    // Both behind one public URL, as behind a load balancer: the first one's (it picks its port).
    const first = await serveProcess({ ...env, PUBLIC_URL: '' });
    a = first.url;
    const second = await serveProcess({ ...env, PUBLIC_URL: a });
    b = second.url;
    processes = [first.child, second.child];
    sandbox = createSandbox({ publicUrl: sandboxPort.url, platformUrl: a });
    sandboxPort.serve(sandbox.app);
    const account = await admin(a, 'POST', '/integrated-accounts', {
      integration: 'acmehr',
      credentials: { api_key: DEFAULT_API_KEY },
    });
    accountId = account.body.id;
  });

  afterAll(async () => {
    await Promise.all(
      processes.map(
        (p) =>
          new Promise((resolve) => {
            p.once('exit', resolve);
            p.kill('SIGTERM');
          }),
      ),
    );
    await sandboxPort?.close();
    await database?.dispose();
  });

  it('either process answers the same URL; a 2025-era client may hop between them', async () => {
    const { mcpUrl } = (await admin(b, 'POST', `/integrated-accounts/${accountId}/mcp`, {})).body;
    expect(mcpUrl.startsWith(`${a}/mcp/`)).toBe(true);
    const onB = mcpUrl.replace(a, b);
    for (const url of [mcpUrl, onB]) {
      const client = await v2Client(url);
      expect((await client.listTools()).tools).toHaveLength(4);
      await client.close();
    }
    // Every request goes to the other process than the one before (initialize on A, the rest on B...).
    let turn = 0;
    const hopping: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      return fetch(turn++ % 2 === 0 ? url : url.replace(a, b), init);
    };
    const client = new ClientV1({ name: 'hopper', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(mcpUrl), { fetch: hopping }));
    const result = await client.callTool({ name: 'get_company', arguments: {} });
    expect(result.structuredContent).toMatchObject({ status: 200, data: { id: 'co_acme' } });
    const created = await client.callTool({
      name: 'create_employee',
      arguments: { firstName: 'Grace', lastName: 'Hopper' },
    });
    expect(created.structuredContent).toMatchObject({ status: 201 });
    expect(turn).toBeGreaterThanOrEqual(4);
    await client.close();
    // Both processes wrote to the one audit trail.
    const calls = await admin(a, 'GET', `/integrated-accounts/${accountId}/mcp-tool-calls?limit=100`);
    expect(calls.body.data.map((c: { tool: string }) => c.tool)).toEqual(
      expect.arrayContaining(['get_company', 'create_employee']),
    );
  });

  it('revoked on one process, the URL is 404 on the other at once', async () => {
    const server = (await admin(a, 'POST', `/integrated-accounts/${accountId}/mcp`, {})).body;
    const onB = server.mcpUrl.replace(a, b);
    const client = await v2Client(onB);
    expect((await client.listTools()).tools).toHaveLength(4);
    expect((await admin(a, 'DELETE', `/integrated-accounts/${accountId}/mcp/${server.id}`)).status).toBe(204);
    await expect(client.listTools()).rejects.toThrow();
    await client.close();
    const res = await fetch(onB, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(res.status).toBe(404);
  });
});
