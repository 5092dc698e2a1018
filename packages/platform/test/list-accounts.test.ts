import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_BUCKET_SIZE } from '../src/store/integrated-accounts.js';
import type { Tenant } from '../src/store/tenants.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { json } from './support/provider-server.js';

interface Expected {
  id: string;
  integration: string;
  status: string;
}

describe.each(DATABASE_KINDS)('listing integrated accounts on %s', (kind) => {
  let h: Harness;
  let tenant: Tenant;
  // What the list must show, in creation order; kept beside the database as the oracle.
  const expected: Expected[] = [];
  const COUNT = PAGE_BUCKET_SIZE * 2 + 137;

  beforeAll(async () => {
    h = await startHarness(kind);
    h.provider.route('GET /down/company', (_req, res) => json(res, 500, {}));
    tenant = (await h.platform.tenants.get(h.tenantA.id)) as Tenant;
    // Through the service (the API's own code path) rather than HTTP, to keep the run short.
    for (let i = 0; i < COUNT; i++) {
      const integration = i % 3 === 0 ? 'plain' : 'testhr';
      const credentials =
        integration === 'plain'
          ? { api_key: 'k' }
          : { subdomain: i % 5 === 0 ? 'down' : 'acme', api_key: 'k' };
      const account = await h.platform.accounts.create(tenant, {
        integration,
        credentials,
        name: `account ${i}`,
      });
      expected.push({ id: account.id as string, integration, status: account.status as string });
    }
    // Delete some and move some between statuses, across buckets.
    const doomed = expected.filter((_, i) => i % 11 === 7);
    for (const gone of doomed) {
      await h.platform.accounts.delete(tenant, gone.id);
      expected.splice(expected.indexOf(gone), 1);
    }
    for (const e of expected.filter((_, i) => i % 13 === 0 && expected[i]?.integration === 'testhr')) {
      h.provider.route('GET /acme/company', (_req, res) => json(res, 500, {}));
      const updated = await h.platform.accounts.runPostInstall(tenant, e.id);
      e.status = updated.status as string;
    }
    h.provider.route('GET /acme/company', (_req, res) => json(res, 200, { id: 'co_1', region: 'eu' }));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const list = (query: string) => h.call('listIntegratedAccounts', 'GET', `/integrated-accounts${query}`);

  it('defaults to page 1 of 20 in creation order with the total', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body.page).toBe(1);
    expect(res.body.limit).toBe(20);
    expect(res.body.total).toBe(expected.length);
    expect(res.body.data.map((a: Expected) => a.id)).toEqual(expected.slice(0, 20).map((e) => e.id));
  });

  it('returns every page exactly as the oracle, for each filter', async () => {
    const filters: Array<[string, (e: Expected) => boolean]> = [
      ['', () => true],
      ['integration=testhr', (e) => e.integration === 'testhr'],
      ['status=error', (e) => e.status === 'error'],
      ['integration=testhr&status=active', (e) => e.integration === 'testhr' && e.status === 'active'],
      ['integration=plain&status=error', (e) => e.integration === 'plain' && e.status === 'error'],
    ];
    for (const [filter, keep] of filters) {
      const want = expected.filter(keep).map((e) => e.id);
      const got: string[] = [];
      for (let page = 1; ; page++) {
        const res = await list(`?${filter}&limit=100&page=${page}`);
        expect(res.body.total, filter).toBe(want.length);
        if (res.body.data.length === 0) break;
        got.push(...res.body.data.map((a: Expected) => a.id));
      }
      expect(got, filter).toEqual(want);
    }
  });

  it('lands odd page sizes on the right rows across bucket edges', async () => {
    for (const [page, limit] of [
      [52, 10],
      [27, 19],
      [6, 97],
      [1, 1],
      [expected.length, 1],
    ] as const) {
      const res = await list(`?page=${page}&limit=${limit}`);
      const start = (page - 1) * limit;
      expect(
        res.body.data.map((a: Expected) => a.id),
        `${page}/${limit}`,
      ).toEqual(expected.slice(start, start + limit).map((e) => e.id));
    }
  });

  it('answers an empty page past the end', async () => {
    const res = await list('?page=9999&limit=100');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.total).toBe(expected.length);
  });

  it('refuses invalid paging and filter values with 400', async () => {
    for (const query of [
      '?page=0',
      '?page=-1',
      '?page=abc',
      '?page=1.5',
      '?limit=0',
      '?limit=101',
      '?limit=',
      '?status=deleted',
      '?integration=unknown-app',
      '?integration=',
      '?sort=name',
      '?limit=1&limit=2',
    ]) {
      const res = await list(query);
      expect([res.status, res.body.error], query).toEqual([
        400,
        expect.stringMatching(/^(invalid_request|unknown_integration)$/),
      ]);
    }
  });

  it('shows a tenant only its own accounts', async () => {
    const res = await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts', {
      token: h.tenantB.token,
    });
    expect(res.body).toMatchObject({ data: [], total: 0 });
  });
});
