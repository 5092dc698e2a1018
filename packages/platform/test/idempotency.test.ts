/**
 * Defect 11: `Idempotency-Key` on the creating POSTs, with Stripe's semantics, on SQLite and
 * PostgreSQL. A second platform on the same database (its own connections) stands in for a
 * second process behind the load balancer.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../src/platform.js';
import { DATABASE_KINDS, TEST_SECRET_KEY } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { json } from './support/provider-server.js';
import { writeTestIntegrations } from './support/test-integrations.js';

const API_KEY = 'key-0123456789';
let keySeq = 0;
const newKey = () => `key-${Date.now()}-${keySeq++}`;

describe.each(DATABASE_KINDS)('Idempotency-Key on %s', (kind) => {
  let h: Harness;
  let other: Platform;
  let otherUrl: string;
  beforeAll(async () => {
    h = await startHarness(kind);
    // A slow provider, so duplicates arrive while the first request still runs.
    h.provider.route('GET /slow/company', (_req, res) => {
      setTimeout(() => json(res, 200, { id: 'co_slow', name: 'Slow', region: 'eu' }), 400);
    });
    other = await createPlatform({
      database: h.database.url,
      integrations: [writeTestIntegrations(h.provider.url)],
      secretKey: TEST_SECRET_KEY,
      webhooks: false,
      migrate: false,
      logger: pino({ level: 'silent' }),
    });
    otherUrl = (await other.listen(0, '127.0.0.1')).url;
  });
  afterAll(async () => {
    await other?.close();
    await h?.close();
  });

  const account = (subdomain = 'acme') => ({
    integration: 'testhr',
    credentials: { subdomain, api_key: API_KEY },
  });
  const count = async (token = h.tenantA.token) =>
    (await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts?integration=testhr', { token })).body
      .total as number;

  it('answers the first answer again for the same key and body, creating nothing more', async () => {
    const key = newKey();
    const before = await count();
    const first = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: account(),
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: account(),
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await count()).toBe(before + 1);

    const token = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body: { integration: 'testhr', externalId: 'u-1' },
      headers: { 'idempotency-key': key },
    });
    // The same key on another operation is another request.
    expect(token.status).toBe(422);
    expect(token.body.error).toBe('idempotency_key_reused');
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    const key = newKey();
    const body = { integration: 'testhr', externalId: 'u-1' };
    const first = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const replay = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(replay.body.token).toBe(first.body.token);
    const reused = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body: { ...body, externalId: 'u-2' },
      headers: { 'idempotency-key': key },
    });
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ error: 'idempotency_key_reused', message: expect.any(String) });
  });

  it('keeps keys per tenant', async () => {
    const key = newKey();
    const body = { integration: 'testhr', externalId: 'u-1' };
    const a = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body,
      headers: { 'idempotency-key': key },
    });
    const b = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body,
      token: h.tenantB.token,
      headers: { 'idempotency-key': key },
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.token).not.toBe(a.body.token);
  });

  it('makes concurrent duplicates on two platforms wait for the first and share its answer', async () => {
    const key = newKey();
    const before = await count();
    const send = (base: string) =>
      fetch(`${base}/integrated-accounts`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h.tenantA.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(account('slow')),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const answers = await Promise.all([h.baseUrl, otherUrl, h.baseUrl, otherUrl, h.baseUrl].map(send));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers[0]?.body.context.companyId).toBe('co_slow');
    expect(await count()).toBe(before + 1);
  });

  it('applies to MCP server creation too', async () => {
    const created = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: account(),
    });
    const key = newKey();
    const path = `/integrated-accounts/${created.body.id}/mcp`;
    const first = await h.call('createMcpServer', 'POST', path, {
      body: {},
      headers: { 'idempotency-key': key },
    });
    const again = await h.call('createMcpServer', 'POST', path, {
      body: {},
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const servers = await h.platform.database.db
      .selectFrom('mcp_servers')
      .select('id')
      .where('integrated_account_id', '=', created.body.id)
      .execute();
    expect(servers).toHaveLength(1);
  });

  it('does not use up a key on a malformed request, and refuses malformed keys', async () => {
    const key = newKey();
    const bad = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body: { integration: 5 },
      headers: { 'idempotency-key': key },
    });
    expect(bad.status).toBe(400);
    const good = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body: { integration: 'testhr' },
      headers: { 'idempotency-key': key },
    });
    expect(good.status).toBe(201);
    const tooLong = await h.call('createLinkToken', 'POST', '/link-tokens', {
      body: { integration: 'testhr' },
      headers: { 'idempotency-key': 'k'.repeat(256) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toBe('invalid_request');
  });
});
