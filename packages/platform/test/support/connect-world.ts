/**
 * Everything a connect-flow test needs, for real: the Acme HR sandbox, the platform (on a given
 * database), a SaaS page that uses the built <truto-connect> and gets link tokens the way the
 * backend helper does, and Debian's Chromium driven by playwright-core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createSandbox, type Sandbox } from '@truto-connect/sandbox';
import express from 'express';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { CredentialCipher, keyIdOf } from '../../src/crypto/credential-cipher.js';
import { parseSecretKeys } from '../../src/crypto/secret-key.js';
import type { DatabaseKind } from '../../src/db/database.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { launchChromium, signInAndAllow } from './chromium.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './databases.js';
import { listenOnLoopback } from './loopback-port.js';

const require = createRequire(import.meta.url);

export { CHROMIUM, launchChromium, signInAndAllow } from './chromium.js';

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
  // Bound first (port 0), so each app knows every URL before it is created.
  const [platformPort, sandboxPort, saasPort] = [
    await listenOnLoopback(),
    await listenOnLoopback(),
    await listenOnLoopback(),
  ];
  const platformUrl = platformPort.url;
  const saasUrl = saasPort.url;
  const sandbox = createSandbox({
    publicUrl: sandboxPort.url,
    platformUrl,
    ...(options.accessTokenTtl ? { accessTokenTtl: options.accessTokenTtl } : {}),
    crossOriginOpenerPolicy: options.coop === true,
  });
  sandboxPort.serve(sandbox.app);
  const database: TestDatabase = await createTestDatabase(kind);
  const platform = await createPlatform({
    database: database.url,
    secretKey: TEST_SECRET_KEY,
    publicUrl: platformUrl,
    sandboxUrl: sandboxPort.url,
    integrations: options.integrations?.(sandboxPort.url) ?? [],
    ...(options.oauthClients ? { oauthClients: options.oauthClients } : {}),
    logger: pino({ level: 'silent' }),
  });
  platformPort.serve(platform.app);
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
  saasPort.serve(saas);

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
      await saasPort.close();
      await platformPort.close();
      await platform.close();
      await sandboxPort.close();
      await database.dispose();
    },
  };
}

/** An event `<truto-connect>` fired on the tests' SaaS page (recorded in `window.__events`). */
export interface WidgetEvent {
  type: string;
  detail: Record<string, string>;
}

/** The first event the widget fired on the SaaS page, once there is one. */
export async function firstWidgetEvent(page: Page): Promise<WidgetEvent> {
  await page.waitForFunction(
    () => (window as unknown as { __events: unknown[] }).__events.length > 0,
    undefined,
    { timeout: 20_000 },
  );
  const events = await page.evaluate(() => (window as unknown as { __events: WidgetEvent[] }).__events);
  return events[0] as WidgetEvent;
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
  const event = await firstWidgetEvent(page);
  await context.close();
  if (event?.type !== 'truto-connect-success')
    throw new Error(`OAuth connect failed: ${JSON.stringify(event)}`);
  return event.detail.integratedAccountId as string;
}

/** Opens the credentials the tests' platforms seal (they all use TEST_SECRET_KEY). */
export const testCipher = new CredentialCipher(
  parseSecretKeys(TEST_SECRET_KEY).map((k) => ({ id: k.id || keyIdOf(k.key), key: k.key })),
);

/**
 * The end user revokes the app at Acme HR: the account's stored refresh token is revoked at the
 * sandbox, so the platform's next refresh is refused. Resolves with the revocation's status.
 */
export async function revokeRefreshTokenAtSandbox(w: ConnectWorld, accountId: string): Promise<number> {
  const row = await w.platform.database.db
    .selectFrom('integrated_accounts')
    .select('credentials')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const { refresh_token } = testCipher.openJson<{ refresh_token: string }>(
    row.credentials as string,
    accountId,
  );
  const issuer = w.platform.catalogue
    .get('acmehr')
    ?.authMethods[1]?.oauth2?.tokenUrl.replace('/oauth/token', '') as string;
  const revoked = await fetch(`${issuer}/oauth/revoke`, {
    method: 'POST',
    body: new URLSearchParams({
      token: refresh_token,
      client_id: 'truto-platform',
      client_secret: 'truto-sandbox-client-secret',
    }),
  });
  return revoked.status;
}
