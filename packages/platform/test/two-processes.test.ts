import { type ChildProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createSandbox, type Sandbox } from '@truto-connect/sandbox';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAndAllow } from './support/connect-world.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';
import { type LoopbackPort, listenOnLoopback } from './support/loopback-port.js';
import { CLI, serveProcess } from './support/serve-process.js';

describe('two platform processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let sandboxPort: LoopbackPort;
  let sandbox: Sandbox;
  let browser: Browser;
  let processes: ChildProcess[] = [];
  let a: string;
  let b: string;
  let env: Record<string, string>;
  let hooks: string;
  let refreshes = 0;
  /** Deliveries per webhook path (one path per tenant), then per event id. */
  const delivered = new Map<string, Map<string, number>>();
  let receiver: ReturnType<typeof createServer>;

  /** A tenant of its own for each test, made with the CLI as an operator would. */
  const createTenant = (name: string, webhookPath?: string): string => {
    const created = spawnSync(
      process.execPath,
      [
        CLI,
        'tenants',
        'create',
        '--name',
        name,
        ...(webhookPath ? ['--webhook-url', `${hooks}/${webhookPath}`] : []),
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    return JSON.parse(created.stdout).apiToken as string;
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    sandboxPort = await listenOnLoopback();
    receiver = createServer((req, res) => {
      const path = String(req.url);
      const id = String(req.headers['truto-event-id']);
      const byId = delivered.get(path) ?? new Map<string, number>();
      delivered.set(path, byId.set(id, (byId.get(id) ?? 0) + 1));
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hooks = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;

    env = {
      DATABASE_URL: database.url,
      TRUTO_SECRET_KEY: TEST_SECRET_KEY,
      SANDBOX_URL: sandboxPort.url,
    };
    spawnSync(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...env } });
    // Both behind one public URL, as behind a load balancer: the first one's (it picks its port).
    const first = await serveProcess({ ...env, PUBLIC_URL: '' });
    a = first.url;
    const second = await serveProcess({ ...env, PUBLIC_URL: a });
    b = second.url;
    processes = [first.child, second.child];
    // Six-second access tokens: due for refresh after three, with room for a slow machine.
    sandbox = createSandbox({ publicUrl: sandboxPort.url, platformUrl: a, accessTokenTtl: 6 });
    sandboxPort.serve(sandbox.app);
    sandbox.provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: unknown } } }) => {
      if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes++;
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
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
    receiver?.closeAllConnections();
    receiver?.close();
    await database?.dispose();
  });

  const headers = (apiToken: string) => ({
    authorization: `Bearer ${apiToken}`,
    'content-type': 'application/json',
  });
  const mint = async (apiToken: string) =>
    (await (
      await fetch(`${a}/link-tokens`, {
        method: 'POST',
        headers: headers(apiToken),
        body: JSON.stringify({ integration: 'acmehr' }),
      })
    ).json()) as { linkUrl: string; token: string };

  it('consumes each link token once when both processes race for it', async () => {
    const apiToken = createTenant('Race');
    for (let round = 0; round < 10; round++) {
      const { linkUrl } = await mint(apiToken);
      const page = await (await fetch(linkUrl)).text();
      const hidden = Object.fromEntries(
        [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
          m[1],
          m[2]?.replace(/&amp;/g, '&'),
        ]),
      );
      const body = new URLSearchParams({
        ...(hidden as Record<string, string>),
        api_key: 'sandbox-demo-key',
      }).toString();
      const post = (base: string) =>
        fetch(`${base}/link/connect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }).then((r) => r.status);
      const statuses = await Promise.all([post(a), post(b)]);
      expect(statuses.sort()).toEqual([200, 410]);
    }
    const list = (await (
      await fetch(`${b}/integrated-accounts?limit=100`, { headers: headers(apiToken) })
    ).json()) as { total: number };
    expect(list.total).toBe(10);
  });

  it('delivers each webhook once, from whichever process claims it', async () => {
    const apiToken = createTenant('Hooks', 'once');
    // Ten accounts through both processes: a created and an active event each.
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${i % 2 ? a : b}/integrated-accounts`, {
          method: 'POST',
          headers: headers(apiToken),
          body: JSON.stringify({ integration: 'acmehr', credentials: { api_key: 'sandbox-demo-key' } }),
        }).then((r) => r.status),
      ),
    );
    expect(created).toEqual(Array(10).fill(201));
    const seen = () => delivered.get('/hooks/once') ?? new Map<string, number>();
    const start = Date.now();
    while (seen().size < 20 && Date.now() - start < 15_000) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to show up, if any
    expect(seen().size).toBe(20);
    expect([...seen().values()].every((n) => n === 1)).toBe(true);
  });

  it('refreshes an account once per expiry, however both processes call it', async () => {
    const apiToken = createTenant('Refresh');
    const context = await browser.newContext();
    const page = await context.newPage();
    const { linkUrl } = await mint(apiToken);
    await page.goto(`${linkUrl}&authFormat=oauth2`);
    await page.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await signInAndAllow(page);
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    await context.close();
    const list = (await (
      await fetch(`${a}/integrated-accounts?limit=1`, { headers: headers(apiToken) })
    ).json()) as { data: Array<{ id: string }> };
    const id = list.data[0]?.id as string;
    await new Promise((r) => setTimeout(r, 3200)); // past the refresh point
    refreshes = 0;
    const calls = Array.from({ length: 20 }, (_, i) =>
      fetch(`${i % 2 ? a : b}/integrated-accounts/${id}/run-post-install-actions`, {
        method: 'POST',
        headers: headers(apiToken),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { status: string } })),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => `${r.status} ${r.body.status}`)).toEqual(Array(20).fill('200 active'));
    expect(refreshes).toBe(1);
  });
});
