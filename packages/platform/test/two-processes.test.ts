import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '@truto-connect/sandbox';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium, signInAndAllow } from './support/connect-world.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** `truto-platform serve` as its own process; resolves once it listens. */
function serve(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('truto-platform listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}

describe('two platform processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let browser: Browser;
  let processes: ChildProcess[] = [];
  let a: string;
  let b: string;
  let apiToken: string;
  let refreshes = 0;
  const delivered = new Map<string, number>();
  let receiver: ReturnType<typeof createServer>;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const [portA, portB, sandboxPort] = [await freePort(), await freePort(), await freePort()];
    a = `http://localhost:${portA}`;
    b = `http://localhost:${portB}`;
    // Six-second access tokens: due for refresh after three, with room for a slow machine.
    sandbox = createSandbox({
      publicUrl: `http://localhost:${sandboxPort}`,
      platformUrl: a,
      accessTokenTtl: 6,
    });
    await sandbox.listen(sandboxPort, '127.0.0.1');
    sandbox.provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: unknown } } }) => {
      if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes++;
    });
    receiver = createServer((req, res) => {
      const id = String(req.headers['truto-event-id']);
      delivered.set(id, (delivered.get(id) ?? 0) + 1);
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hooks = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;

    const env = {
      DATABASE_URL: database.url,
      TRUTO_SECRET_KEY: TEST_SECRET_KEY,
      SANDBOX_URL: `http://localhost:${sandboxPort}`,
      PUBLIC_URL: a,
    };
    spawnSync(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...env } });
    const created = spawnSync(
      process.execPath,
      [CLI, 'tenants', 'create', '--name', 'Scale', '--webhook-url', hooks],
      {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      },
    );
    apiToken = JSON.parse(created.stdout).apiToken;
    // Both behind one public URL, as behind a load balancer.
    processes = await Promise.all([serve(portA, env), serve(portB, env)]);
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
    await sandbox?.close();
    receiver?.closeAllConnections();
    receiver?.close();
    await database?.dispose();
  });

  const headers = () => ({ authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' });
  const mint = async () =>
    (await (
      await fetch(`${a}/link-tokens`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ integration: 'acmehr' }),
      })
    ).json()) as { linkUrl: string; token: string };

  it('consumes each link token once when both processes race for it', async () => {
    for (let round = 0; round < 10; round++) {
      const { linkUrl } = await mint();
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
      await fetch(`${b}/integrated-accounts?limit=100`, { headers: headers() })
    ).json()) as { total: number };
    expect(list.total).toBe(10);
  });

  it('delivers each webhook once, from whichever process claims it', async () => {
    const start = Date.now();
    while (delivered.size < 20 && Date.now() - start < 15_000) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to show up, if any
    expect(delivered.size).toBe(20);
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
  });

  it('refreshes an account once per expiry, however both processes call it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { linkUrl } = await mint();
    await page.goto(`${linkUrl}&authFormat=oauth2`);
    await page.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await signInAndAllow(page);
    await page.getByRole('heading', { name: 'Connected' }).waitFor();
    await context.close();
    const list = (await (
      await fetch(`${a}/integrated-accounts?page=11&limit=1`, { headers: headers() })
    ).json()) as { data: Array<{ id: string }> };
    const id = list.data[0]?.id as string;
    await new Promise((r) => setTimeout(r, 3200)); // past the refresh point
    refreshes = 0;
    const calls = Array.from({ length: 20 }, (_, i) =>
      fetch(`${i % 2 ? a : b}/integrated-accounts/${id}/run-post-install-actions`, {
        method: 'POST',
        headers: headers(),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { status: string } })),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => `${r.status} ${r.body.status}`)).toEqual(Array(20).fill('200 active'));
    expect(refreshes).toBe(1);
  });
});
