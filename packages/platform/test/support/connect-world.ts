/**
 * Everything a connect-flow test needs, for real: the Acme HR sandbox, the platform (on a given
 * database), a SaaS page that uses the built <truto-connect> and gets link tokens the way the
 * backend helper does, and Debian's Chromium driven by playwright-core.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { createSandbox, type Sandbox } from '@truto-connect/sandbox';
import express from 'express';
import { pino } from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { DatabaseKind } from '../../src/db/database.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './databases.js';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface ConnectWorld {
  platform: Platform;
  platformUrl: string;
  sandbox: Sandbox;
  saasUrl: string;
  tenantId: string;
  apiToken: string;
  browser: Browser;
  /** A link token minted through the Admin API. */
  linkToken(body?: Record<string, unknown>): Promise<{ token: string; linkUrl: string }>;
  close(): Promise<void>;
}

const widgetBundle = () => readFileSync(require.resolve('@truto-connect/widget/truto-connect.js'), 'utf8');

export async function startConnectWorld(
  kind: DatabaseKind,
  /** Extra definition folders, written once the sandbox's URL is known. */
  options: {
    integrations?: (sandboxUrl: string) => string[];
    accessTokenTtl?: number;
    webhookUrl?: string;
    /** The sandbox's sign-in pages send COOP same-origin. */
    coop?: boolean;
    /** OAuth clients of extra integrations (the sandbox's client serves any of them). */
    oauthClients?: Record<string, { clientId: string; clientSecret: string }>;
  } = {},
): Promise<ConnectWorld> {
  const [platformPort, sandboxPort, saasPort] = [await freePort(), await freePort(), await freePort()];
  const platformUrl = `http://localhost:${platformPort}`;
  const saasUrl = `http://localhost:${saasPort}`;
  const sandbox = createSandbox({
    publicUrl: `http://localhost:${sandboxPort}`,
    platformUrl,
    ...(options.accessTokenTtl ? { accessTokenTtl: options.accessTokenTtl } : {}),
    crossOriginOpenerPolicy: options.coop === true,
  });
  await sandbox.listen(sandboxPort, '127.0.0.1');
  const database: TestDatabase = await createTestDatabase(kind);
  const platform = await createPlatform({
    database: database.url,
    secretKey: TEST_SECRET_KEY,
    publicUrl: platformUrl,
    sandboxUrl: `http://localhost:${sandboxPort}`,
    integrations: options.integrations?.(`http://localhost:${sandboxPort}`) ?? [],
    ...(options.oauthClients ? { oauthClients: options.oauthClients } : {}),
    logger: pino({ level: 'silent' }),
  });
  await platform.listen(platformPort, '127.0.0.1');
  const { tenant, apiToken } = await platform.tenants.create({
    name: 'SaaS',
    allowedOrigins: [saasUrl],
    ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
  });

  const linkToken = async (body: Record<string, unknown> = {}) => {
    const res = await fetch(`${platformUrl}/link-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ integration: 'acmehr', externalId: 'user-42', ...body }),
    });
    if (res.status !== 201) throw new Error(`link token: ${res.status} ${await res.text()}`);
    return (await res.json()) as { token: string; linkUrl: string };
  };

  // The SaaS app: its page, the widget bundle, and a link-token endpoint like the helper's.
  const saas = express();
  saas.get('/truto-connect.js', (_req, res) => {
    res.type('text/javascript').send(widgetBundle());
  });
  saas.post('/link-token', express.json(), async (req, res) => {
    // As the backend helper does: the browser names the integration (and an account to
    // reconnect); the end user's identity comes from the server side.
    const { integration, integratedAccountId } = req.body as {
      integration: string;
      integratedAccountId?: string;
    };
    const { token, linkUrl } = await linkToken({
      integration,
      ...(integratedAccountId ? { integratedAccountId } : {}),
    });
    res.json({ linkToken: token, linkUrl, expiresAt: new Date(Date.now() + 600_000).toISOString() });
  });
  saas.get('/', (req, res) => {
    const param = (name: string, fallback: string) =>
      typeof req.query[name] === 'string' ? req.query[name].replace(/[^\w-]/g, '') : fallback;
    const mode = param('mode', 'popup');
    const integration = param('integration', 'acmehr');
    const account = param('account', '');
    res.type('html').send(`<!doctype html><html lang="en"><head><title>SaaS</title></head><body>
<script type="module" src="/truto-connect.js"></script>
<truto-connect integration="${integration}" token-url="/link-token" mode="${mode}"${account ? ` integrated-account-id="${account}"` : ''}>Connect Acme HR</truto-connect>
<script type="module">
  window.__events = [];
  for (const type of ['truto-connect-success', 'truto-connect-error', 'truto-connect-close']) {
    document.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }));
  }
</script></body></html>`);
  });
  const saasServer: Server = createHttpServer(saas);
  await new Promise<void>((resolve) => saasServer.listen(saasPort, '127.0.0.1', resolve));

  const browser = await launchChromium();

  return {
    platform,
    platformUrl,
    sandbox,
    saasUrl,
    tenantId: tenant.id,
    apiToken,
    browser,
    linkToken,
    async close() {
      await browser.close();
      saasServer.closeAllConnections();
      await new Promise<void>((resolve) => saasServer.close(() => resolve()));
      await platform.close();
      await sandbox.close();
      await database.dispose();
    },
  };
}

/** Connects an Acme HR account with OAuth in Chromium (popup, sign-in, consent); its id. */
export async function connectWithOAuth(w: ConnectWorld): Promise<string> {
  const context = await w.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${w.saasUrl}/?mode=popup`);
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.locator('truto-connect').getByRole('button').click(),
  ]);
  await popup.getByRole('link', { name: 'Sign in with Acme HR' }).click();
  await popup.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
  await signInAndAllow(popup);
  await page.waitForFunction(
    () => (window as unknown as { __events: unknown[] }).__events.length > 0,
    undefined,
    { timeout: 15_000 },
  );
  const [event] = await page.evaluate(
    () =>
      (window as unknown as { __events: Array<{ type: string; detail: { integratedAccountId: string } }> })
        .__events,
  );
  await context.close();
  if (event?.type !== 'truto-connect-success')
    throw new Error(`OAuth connect failed: ${JSON.stringify(event)}`);
  return event.detail.integratedAccountId;
}

/** Debian's Chromium as the tests run it: headless, as root, no background networking. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright turns Chromium's popup blocker off by default; users have it on.
    ignoreDefaultArgs: ['--disable-popup-blocking'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Acme HR's sign-in (demo/demo) and consent (Allow), on whatever page shows them. */
export async function signInAndAllow(page: Page): Promise<void> {
  await page.getByLabel('Username').fill('demo');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
}
