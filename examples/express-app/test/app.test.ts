/**
 * The example app's own guards, over HTTP: the signed session cookie, sign-in input, and who may
 * disconnect what. No platform is needed for these (it would be at a closed loopback port).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApp, type ExampleApp } from '../src/app.js';

let example: ExampleApp;
let url: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'truto-example-app-'));
  example = createExampleApp({
    platformUrl: 'http://127.0.0.1:9',
    apiToken: 'not-used-here',
    database: join(dataDir, 'app.sqlite'),
  });
  ({ url } = await example.listen(0, '127.0.0.1'));
});

afterAll(async () => {
  await example?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Signs in as `name`; the session cookie to send back. */
async function signIn(name: string): Promise<string> {
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ name }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  return cookie.split(';')[0] as string;
}

const get = (path: string, cookie?: string) =>
  fetch(`${url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

describe('the example app', () => {
  it('shows the Integrations page only with a signed session cookie', async () => {
    const cookie = await signIn('ada');
    const page = await get('/integrations', cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as <strong>ada</strong>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

    // The same name without the signature, or with a changed value, is nobody.
    for (const forged of ['session=ada', cookie.replace('ada', 'bob')]) {
      const res = await get('/integrations', forged);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/sign-in');
    }
  });

  it('refuses an empty or overlong name, and escapes the one it shows', async () => {
    for (const name of ['', '   ', 'x'.repeat(41)]) {
      const res = await fetch(`${url}/sign-in`, { method: 'POST', body: new URLSearchParams({ name }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Enter a name of 1 to 40 characters.');
    }
    const cookie = await signIn('<img src=x>');
    const html = await (await get('/integrations', cookie)).text();
    expect(html).toContain('&lt;img src=x&gt;');
    expect(html).not.toContain('<img src=x>');
  });

  it("lists only the user's own connections, and disconnects only those", async () => {
    example.store.saveConnection({
      integratedAccountId: 'acc_of_alice',
      externalId: 'alice',
      integration: 'acmehr',
      status: 'active',
      context: {},
    });
    const bob = await signIn('bob');
    expect(await (await get('/integrations', bob)).text()).not.toContain('acc_of_alice');
    const res = await fetch(`${url}/integrations/acc_of_alice/disconnect`, {
      method: 'POST',
      headers: { cookie: bob },
      redirect: 'manual',
    });
    expect(res.status).toBe(404);
    expect(example.store.get('acc_of_alice')?.externalId).toBe('alice');
  });

  it('refuses a disconnect posted from another site', async () => {
    const alice = await signIn('alice');
    const res = await fetch(`${url}/integrations/acc_of_alice/disconnect`, {
      method: 'POST',
      headers: { cookie: alice, origin: 'https://evil.example' },
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(example.store.get('acc_of_alice')).toBeDefined();
  });

  it('serves the element bundle and needs a session for the helper routes', async () => {
    const bundle = await get('/assets/truto-connect.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    const token = await fetch(`${url}/truto/link-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ integration: 'acmehr' }),
    });
    expect(token.status).toBe(401);
  });

  it('keeps connections and sessions across a restart', async () => {
    const file = join(dataDir, 'restart.sqlite');
    const before = createExampleApp({ platformUrl: 'http://127.0.0.1:9', apiToken: 'x', database: file });
    const { url: beforeUrl } = await before.listen(0, '127.0.0.1');
    const signedIn = await fetch(`${beforeUrl}/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ name: 'grace' }),
      redirect: 'manual',
    });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    before.store.saveConnection({
      integratedAccountId: 'acc_kept',
      externalId: 'grace',
      integration: 'acmehr',
      status: 'active',
      context: { companyName: 'Acme Corporation' },
    });
    await before.close();

    const after = createExampleApp({ platformUrl: 'http://127.0.0.1:9', apiToken: 'x', database: file });
    const { url: afterUrl } = await after.listen(0, '127.0.0.1');
    try {
      const page = await fetch(`${afterUrl}/api/connections`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({
        user: 'grace',
        connections: [{ integratedAccountId: 'acc_kept', context: { companyName: 'Acme Corporation' } }],
      });
    } finally {
      await after.close();
    }
  });

  it('validates its options', () => {
    expect(() => createExampleApp({ platformUrl: '', apiToken: 'x' })).toThrow(TypeError);
    expect(() => createExampleApp({ platformUrl: 'http://127.0.0.1:9', apiToken: '' })).toThrow(/apiToken/);
  });
});
