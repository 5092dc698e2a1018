/**
 * Redirect mode as a browser walks it: a top-level Chromium window opens `linkUrl`, submits
 * each kind of credential form, and must land on the app's real receiving page on another
 * origin with `result` in its query. (Browsers apply the form page's `form-action` CSP to the
 * redirect after a submission: a 303 to an origin the policy does not name is blocked.)
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationDefinition } from '../src/integrations/definition.js';
import { type ConnectWorld, startConnectWorld } from './support/connect-world.js';
import { json, type ProviderServer, startProviderServer } from './support/provider-server.js';

/** One integration per credential form kind, each checked against the test provider. */
function formKindIntegrations(providerUrl: string): IntegrationDefinition[] {
  const check = [{ id: 'ping', request: { method: 'GET' as const, path: '/ping' } }];
  return [
    {
      name: 'form-api-key',
      label: 'Form API key',
      baseUrl: providerUrl,
      authMethods: [
        {
          format: 'api_key',
          label: 'API key',
          fields: [{ name: 'api_key', label: 'API key', secret: true }],
          apply: { headers: { Authorization: 'Bearer {api_key}' } },
        },
      ],
      postInstall: check,
    },
    {
      name: 'form-basic',
      label: 'Form basic',
      baseUrl: providerUrl,
      authMethods: [
        {
          format: 'basic',
          label: 'User and password',
          fields: [
            { name: 'username', label: 'Username' },
            { name: 'password', label: 'Password', secret: true },
          ],
          apply: { basic: { username: '{username}', password: '{password}' } },
        },
      ],
      postInstall: check,
    },
    {
      name: 'form-client-credentials',
      label: 'Form client credentials',
      baseUrl: providerUrl,
      authMethods: [
        {
          format: 'oauth2_client_credentials',
          label: 'Client credentials',
          fields: [
            { name: 'client_id', label: 'Client ID' },
            { name: 'client_secret', label: 'Client secret', secret: true },
          ],
          oauth2: { grant: 'client_credentials', tokenUrl: `${providerUrl}/oauth/token`, clientAuth: 'body' },
          apply: { headers: { Authorization: 'Bearer {access_token}' } },
        },
      ],
      postInstall: check,
    },
  ];
}

const FORMS: Array<{ integration: string; fill: Record<string, string> }> = [
  { integration: 'form-api-key', fill: { 'API key': 'key-1' } },
  { integration: 'form-basic', fill: { Username: 'ada', Password: 'pw' } },
  { integration: 'form-client-credentials', fill: { 'Client ID': 'cid', 'Client secret': 'cs' } },
];

describe('redirect mode in a top-level Chromium window', () => {
  let provider: ProviderServer;
  let w: ConnectWorld;
  let receiver: Server;
  let receiverUrl: string;
  let apiToken: string;
  let tenantId: string;
  const received: Array<Record<string, string>> = [];

  beforeAll(async () => {
    provider = await startProviderServer();
    provider.route('GET /ping', (_req, res) => json(res, 200, { ok: true }));
    provider.route('POST /oauth/token', (_req, res) =>
      json(res, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 }),
    );
    w = await startConnectWorld('sqlite', {
      integrations: () => {
        const dir = mkdtempSync(join(tmpdir(), 'truto-forms-'));
        for (const def of formKindIntegrations(provider.url))
          writeFileSync(join(dir, `${def.name}.json`), JSON.stringify(def));
        return [dir];
      },
    });
    // The app's receiving page, on its own loopback origin (127.0.0.1; the platform is localhost).
    const app = express();
    app.get('/done', (req, res) => {
      received.push(req.query as Record<string, string>);
      res.type('html').send('<!doctype html><title>Received</title><h1>Received</h1>');
    });
    receiver = createServer(app);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    const created = await w.platform.tenants.create({ name: 'Redirect app', allowedOrigins: [receiverUrl] });
    apiToken = created.apiToken;
    tenantId = created.tenant.id;
  }, 90_000);

  afterAll(async () => {
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await w?.close();
    await provider?.close();
  });

  it.each(FORMS)('lands on the app with a verifiable result after the $integration form', async (form) => {
    const minted = await fetch(`${w.platformUrl}/link-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        integration: form.integration,
        externalId: `user-${form.integration}`,
        redirectUri: `${receiverUrl}/done?state=${form.integration}`,
      }),
    });
    expect(minted.status).toBe(201);
    const { linkUrl } = (await minted.json()) as { linkUrl: string };
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto(linkUrl);
    for (const [label, value] of Object.entries(form.fill)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.waitForURL(`${receiverUrl}/done?**`, { timeout: 15_000 });
    expect(await page.title()).toBe('Received');
    await context.close();

    const query = received.find((q) => q.state === form.integration);
    expect(query?.error).toBeUndefined();
    const jwks = createLocalJWKSet(
      (await (await fetch(`${w.platformUrl}/.well-known/jwks.json`)).json()) as never,
    );
    const { payload } = await jwtVerify(query?.result as string, jwks, {
      issuer: w.platformUrl,
      audience: tenantId,
    });
    expect(payload).toMatchObject({ integration: form.integration, status: 'active' });
  });
});
