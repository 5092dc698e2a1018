import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { json } from './support/provider-server.js';

describe('graceful shutdown', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => {
    await h.provider.close();
    await h.database.dispose();
  });

  it('finishes requests in flight, then refuses new connections', async () => {
    h.provider.route('GET /slowco/company', (_req, res) => {
      setTimeout(() => json(res, 200, { id: 'co_slow', region: 'eu' }), 300);
    });
    const inFlight = h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: { integration: 'testhr', credentials: { subdomain: 'slowco', api_key: 'k' } },
    });
    // Let the request reach the provider before stopping.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = h.platform.close();
    const res = await inFlight;
    expect(res.status).toBe(201);
    expect(res.body.context.companyId).toBe('co_slow');
    await closed;
    await expect(fetch(`${h.baseUrl}/healthz`)).rejects.toThrow();
  });
});
