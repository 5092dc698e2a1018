import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, type ProviderServer, startProviderServer } from '../../test/support/provider-server.js';
import { PostInstallError } from '../errors.js';
import type { IntegrationDefinition, RateLimitDefinition } from '../integrations/definition.js';
import { runPostInstallActions } from './post-install.js';
import { callProvider, type ProviderAccount } from './provider-client.js';

/** Throttled answers and failures in 2xx bodies, against a real loopback provider. */
describe('provider answers the definition declares', () => {
  let provider: ProviderServer;
  beforeAll(async () => {
    provider = await startProviderServer();
  });
  afterAll(async () => {
    await provider?.close();
  });
  beforeEach(() => {
    provider.requests.length = 0;
  });

  const accountOf = (extra: Partial<IntegrationDefinition> = {}): ProviderAccount => {
    const definition: IntegrationDefinition = {
      name: 'declared',
      label: 'Declared',
      baseUrl: provider.url,
      authMethods: [
        { format: 'api_key', label: 'Key', apply: { headers: { Authorization: 'Bearer {api_key}' } } },
      ],
      ...extra,
    };
    return {
      definition,
      method: definition.authMethods[0] as ProviderAccount['method'],
      credentials: { api_key: 'k' },
      context: {},
    };
  };

  /** Answers the first `throttled` requests with `status` and these headers, then 200. */
  const throttleFirst = (throttled: number, headers: Record<string, string>, status = 429) => {
    let seen = 0;
    provider.route('POST /items', (req, res) => {
      seen += 1;
      if (seen <= throttled) {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ message: 'slow down' }));
        return;
      }
      json(res, 201, { created: JSON.parse(req.body) as unknown });
    });
  };
  const post = (rateLimit?: RateLimitDefinition, timeoutMs?: number) =>
    callProvider(
      accountOf(rateLimit ? { rateLimit } : {}),
      { method: 'POST', path: '/items' },
      { input: { name: 'x' }, ...(timeoutMs ? { timeoutMs } : {}) },
    );

  it('retries a throttled request after the Retry-After it names, with the same body', async () => {
    throttleFirst(2, { 'Retry-After': '0' });
    const answer = await post({ maxRetries: 2 });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ created: { name: 'x' } });
    expect(provider.requests.map((r) => r.body)).toEqual(['{"name":"x"}', '{"name":"x"}', '{"name":"x"}']);
  });

  it('stops after maxRetries and hands back the wait', async () => {
    throttleFirst(5, { 'Retry-After': '0' });
    const answer = await post({ maxRetries: 2 });
    expect(answer.status).toBe(429);
    expect(answer.retryAfterMs).toBe(0);
    expect(provider.requests).toHaveLength(3);
  });

  it('uses the reset header (epoch milliseconds) and declared statuses', async () => {
    throttleFirst(1, { 'X-Reset': String(Date.now() - 1000) }, 503);
    const answer = await post({ statuses: [503], resetHeader: 'X-Reset', resetFormat: 'epoch_milliseconds' });
    expect(answer.status).toBe(201);
    expect(provider.requests).toHaveLength(2);
  });

  it('does not wait longer than maxWaitMs or the call’s time: the answer carries the wait', async () => {
    throttleFirst(1, { 'Retry-After': '30' });
    const long = await post({});
    expect(long.status).toBe(429);
    expect(long.retryAfterMs).toBe(30_000);
    expect(provider.requests).toHaveLength(1);

    provider.requests.length = 0;
    throttleFirst(1, { 'Retry-After': '2' });
    const tooLate = await post({ maxWaitMs: 10_000 }, 1500);
    expect(tooLate.status).toBe(429);
    expect(provider.requests).toHaveLength(1);
  });

  it('without a declaration: one retry of a 429 with a short Retry-After, none of a long one or a 503', async () => {
    throttleFirst(5, { 'Retry-After': '0' });
    expect((await post()).status).toBe(429);
    expect(provider.requests).toHaveLength(2);

    provider.requests.length = 0;
    throttleFirst(1, { 'Retry-After': '5' });
    expect((await post()).retryAfterMs).toBe(5000);
    expect(provider.requests).toHaveLength(1);

    provider.requests.length = 0;
    throttleFirst(1, { 'Retry-After': '0' }, 503);
    const unavailable = await post();
    expect(unavailable.status).toBe(503);
    expect(unavailable.retryAfterMs).toBeUndefined();
    expect(provider.requests).toHaveLength(1);
  });

  it('backs off from a status that throttles only by its body code, and leaves other refusals alone', async () => {
    const rateLimit: RateLimitDefinition = {
      bodyCode: { path: '$response.body.error.reason', values: ['userRateLimitExceeded'] },
      backoffMs: 20,
      maxRetries: 2,
    };
    let seen = 0;
    provider.route('POST /items', (_req, res) => {
      seen += 1;
      json(res, 403, { error: { reason: seen === 1 ? 'userRateLimitExceeded' : 'forbidden' } });
    });
    const refused = await post(rateLimit);
    // Throttled once, backed off, then refused for another reason: handed back as is.
    expect(provider.requests).toHaveLength(2);
    expect(refused.status).toBe(403);
    expect(refused.throttled).toBeUndefined();

    provider.requests.length = 0;
    provider.route('POST /items', (_req, res) =>
      json(res, 403, { error: { reason: 'userRateLimitExceeded' } }),
    );
    const stillThrottled = await post(rateLimit);
    // 1 + 2 retries, after 20 and 40 ms; then the next wait (80 ms) is handed back.
    expect(provider.requests).toHaveLength(3);
    expect(stillThrottled).toMatchObject({ status: 403, throttled: true, retryAfterMs: 80 });
  });

  it('marks a throttled answer that names no wait, so the caller can say so', async () => {
    throttleFirst(1, {});
    const answer = await post({});
    expect(provider.requests).toHaveLength(1);
    expect(answer.throttled).toBe(true);
    expect(answer.retryAfterMs).toBeUndefined();
  });

  it('post-install says a throttled first step is a throttle, not refused credentials', async () => {
    provider.route('GET /me', (_req, res) =>
      json(res, 403, { error: { errors: [{ reason: 'userRateLimitExceeded' }] } }),
    );
    const account = accountOf({
      postInstall: [{ id: 'me', request: { method: 'GET', path: '/me' } }],
      rateLimit: {
        bodyCode: { path: '$response.body.error.errors[0].reason', values: ['userRateLimitExceeded'] },
        maxRetries: 0,
      },
    });
    const failure = await runPostInstallActions(account).catch((e: unknown) => e as PostInstallError);
    expect(failure).toBeInstanceOf(PostInstallError);
    expect(failure).toMatchObject({ throttled: true, firstStep: true, providerStatus: 403 });
    expect((failure as PostInstallError).credentialsRejected).toBe(false);
    expect((failure as PostInstallError).message).toBe(
      'post-install step "me" failed: the provider is rate limiting (it answered 403); try again later',
    );
    // The same 403 without the throttle's code is a refusal of the credentials.
    provider.route('GET /me', (_req, res) =>
      json(res, 403, { error: { errors: [{ reason: 'forbidden' }] } }),
    );
    const refused = await runPostInstallActions(account).catch((e: unknown) => e as PostInstallError);
    expect(refused).toMatchObject({ throttled: false, credentialsRejected: true });
  });

  it('post-install keeps the item a step selects: the one the account names, else the first', async () => {
    provider.route('GET /sites', (_req, res) =>
      json(res, 200, {
        sites: [
          { id: 1, host: 'One.example', region: 'eu' },
          { id: 2, host: 'two.example', region: 'us' },
        ],
      }),
    );
    const definition: Partial<IntegrationDefinition> = {
      postInstall: [
        {
          id: 'sites',
          request: { method: 'GET', path: '/sites' },
          select: { items: '$response.body.sites', where: { host: '{host}', region: '{region}' } },
          context: { site_id: '$selected.id', site: '$selected' },
        },
      ],
    };
    const account = accountOf(definition);
    // Compared case-insensitively; a condition on a value the account lacks is dropped.
    const chosen = await runPostInstallActions({
      ...account,
      credentials: { api_key: 'k', host: 'one.EXAMPLE' },
    });
    expect(chosen).toEqual({ site_id: 1, site: { id: 1, host: 'One.example', region: 'eu' } });
    const byContext = await runPostInstallActions({ ...account, context: { region: 'us' } });
    expect(byContext.site_id).toBe(2);
    expect((await runPostInstallActions(account)).site_id).toBe(1);
    const missing = runPostInstallActions({
      ...account,
      credentials: { api_key: 'k', host: 'three.example' },
    });
    await expect(missing).rejects.toThrow(
      'post-install step "sites" failed: none of the 2 items listed has host "three.example" (listed: One.example, two.example)',
    );
    await expect(missing).rejects.toBeInstanceOf(PostInstallError);
  });

  it('post-install fails on a 2xx answer whose body reports an error, with its message', async () => {
    provider.route('GET /auth.test', (_req, res) => json(res, 200, { ok: false, error: 'invalid_auth' }));
    const account = accountOf({
      bodyErrors: { okPath: '$response.body.ok', messagePath: '$response.body.error' },
      postInstall: [
        {
          id: 'auth_test',
          request: { method: 'GET', path: '/auth.test' },
          context: { team: '$response.body.team_id' },
        },
      ],
    });
    const failure = await runPostInstallActions(account).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PostInstallError);
    expect((failure as PostInstallError).message).toBe(
      'post-install step "auth_test" failed: the provider answered 200 with an error: invalid_auth',
    );
    expect((failure as PostInstallError).providerStatus).toBe(200);

    provider.route('GET /auth.test', (_req, res) => json(res, 200, { ok: true, team_id: 'T123' }));
    expect(await runPostInstallActions(account)).toEqual({ team: 'T123' });
  });
});
