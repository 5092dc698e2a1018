import { createServer } from 'node:net';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSandbox,
  DEFAULT_API_KEY,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type Sandbox,
} from '../src/index.js';

const PLATFORM = 'http://platform.test';
const REDIRECT_URI = `${PLATFORM}/link/oauth/callback`;

/** A browser's part in the flow: follows redirects on the sandbox, keeps cookies, posts forms. */
class Browser {
  readonly #cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.#cookies.size) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = (pair as string).split('=');
      this.#cookies.set(name as string, value.join('='));
    }
    return res;
  }

  /** Follows redirects while they stay on the sandbox; returns the last response. */
  async follow(
    url: string,
    init?: { method?: string; form?: Record<string, string> },
  ): Promise<{ res: Response; url: string }> {
    let res = await this.request(url, init);
    let current = url;
    while (res.status >= 300 && res.status < 400) {
      current = new URL(res.headers.get('location') as string, current).href;
      if (!current.startsWith(this.origin)) break;
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

describe('the Acme HR sandbox', () => {
  let sandbox: Sandbox;
  let base: string;
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: DEFAULT_CLIENT_ID };
  const clientAuth = oauth.ClientSecretPost(DEFAULT_CLIENT_SECRET);
  const insecure = { [oauth.allowInsecureRequests]: true };

  beforeAll(async () => {
    // The issuer names the port, so find a free one first.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    base = `http://localhost:${port}`;
    sandbox = createSandbox({ publicUrl: base, platformUrl: PLATFORM, accessTokenTtl: 1 });
    await sandbox.listen(port, '127.0.0.1');
    const issuer = new URL(base);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }),
    );
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  async function authorize(decision: 'allow' | 'deny', password = 'demo') {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint as string);
    url.searchParams.set('client_id', DEFAULT_CLIENT_ID);
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', 'employees:read company:read offline_access');
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('prompt', 'consent');
    const browser = new Browser(base);
    const signIn = await browser.follow(url.href);
    expect(await signIn.res.text()).toContain('Sign in to Acme HR');
    const uid = new URL(signIn.url).pathname.split('/')[2] as string;
    const login = await browser.follow(`${base}/interaction/${uid}/login`, {
      method: 'POST',
      form: { username: 'demo', password },
    });
    if (password !== 'demo') return { login, state, verifier };
    const consentHtml = await login.res.text();
    expect(consentHtml).toContain('Allow');
    const consentUid = new URL(login.url).pathname.split('/')[2] as string;
    const done = await browser.follow(`${base}/interaction/${consentUid}/consent`, {
      method: 'POST',
      form: { decision },
    });
    return { callback: new URL(done.url), state, verifier };
  }

  it('signs demo/demo in, asks for consent, and issues short-lived access and refresh tokens (PKCE)', async () => {
    const { callback, state, verifier } = await authorize('allow');
    expect(`${callback?.origin}${callback?.pathname}`).toBe(REDIRECT_URI);
    const params = oauth.validateAuthResponse(as, client, callback as URL, state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(tokens.expires_in).toBe(1);
    expect(tokens.refresh_token).toBeTypeOf('string');

    const company = await fetch(`${base}/api/company`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await company.json()).toEqual({ id: 'co_acme', name: 'Acme Corporation', region: 'eu-west' });
    // Not granted: employees:write.
    const write = await fetch(`${base}/api/employees`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'A', lastName: 'B' }),
    });
    expect(write.status).toBe(403);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(`${base}/api/company`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token as string, insecure),
    );
    const again = await fetch(`${base}/api/employees?limit=5&page=2`, {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    });
    const page = (await again.json()) as any;
    expect(page).toMatchObject({ page: 2, limit: 5, total: 57, nextPage: 3 });
    expect(page.data).toHaveLength(5);
  });

  it('sends Deny back to the client as access_denied', async () => {
    const { callback, state } = await authorize('deny');
    expect(callback?.searchParams.get('error')).toBe('access_denied');
    expect(() => oauth.validateAuthResponse(as, client, callback as URL, state)).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it('refuses a wrong password on its sign-in page', async () => {
    const { login } = await authorize('allow', 'wrong');
    expect(login?.res.status).toBe(401);
    expect(await login?.res.text()).toContain('Wrong username or password.');
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = new URL(as.authorization_endpoint as string);
    for (const [k, v] of Object.entries({
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'employees:read',
    })) {
      url.searchParams.set(k, v);
    }
    const res = await fetch(url, { redirect: 'manual' });
    expect(new URL(res.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('serves the REST API with the API key: pages, one employee, creation, and checks', async () => {
    const key = { 'x-api-key': DEFAULT_API_KEY };
    const list = (await (await fetch(`${base}/api/employees?limit=100`, { headers: key })).json()) as any;
    expect(list.total).toBe(57);
    expect(list.nextPage).toBeNull();
    const one = await (await fetch(`${base}/api/employees/${list.data[0].id}`, { headers: key })).json();
    expect(one).toEqual(list.data[0]);
    const created = await fetch(`${base}/api/employees`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Radia', lastName: 'Perlman', title: 'Engineer' }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as any).email).toBe('radia.perlman@acme.example');
    expect((await fetch(`${base}/api/employees?limit=500`, { headers: key })).status).toBe(400);
    expect((await fetch(`${base}/api/employees/emp_9999`, { headers: key })).status).toBe(404);
    const bad = await fetch(`${base}/api/employees`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: '{"firstName":1}',
    });
    expect(bad.status).toBe(400);
    const broken = await fetch(`${base}/api/employees`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect((await fetch(`${base}/api/company`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/api/company`)).status).toBe(401);
  });
});
