import { createSandbox, DEFAULT_API_KEY, type Sandbox } from '@truto-connect/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../src/platform.js';
import { TEST_SECRET_KEY } from './support/databases.js';
import { type LoopbackPort, listenOnLoopback } from './support/loopback-port.js';

describe('--sandbox-url: the acmehr integration against a running Acme HR', () => {
  let sandbox: Sandbox;
  let sandboxPort: LoopbackPort;
  let platform: Platform;
  let base: string;
  let token: string;

  beforeAll(async () => {
    sandboxPort = await listenOnLoopback();
    sandbox = createSandbox({ publicUrl: sandboxPort.url, platformUrl: 'http://localhost:4000' });
    sandboxPort.serve(sandbox.app);
    platform = await createPlatform({
      database: 'sqlite::memory:',
      secretKey: TEST_SECRET_KEY,
      sandboxUrl: `${sandboxPort.url}/`,
      logger: (await import('pino')).pino({ level: 'silent' }),
    });
    base = (await platform.listen(0, '127.0.0.1')).url;
    token = (await platform.tenants.create({ name: 'T' })).apiToken;
  });
  afterAll(async () => {
    await platform?.close();
    await sandboxPort?.close();
  });

  const create = (credentials: Record<string, string>) =>
    fetch(`${base}/integrated-accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ integration: 'acmehr', credentials }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('offers API key and OAuth, with its methods', () => {
    const def = platform.catalogue.get('acmehr');
    expect(def?.authMethods.map((m) => m.format)).toEqual(['api_key', 'oauth2']);
    expect(def?.methods?.map((m) => m.name)).toEqual([
      'list_employees',
      'get_employee',
      'create_employee',
      'get_company',
    ]);
  });

  it('connects with the sandbox API key and reads the company into context', async () => {
    const { status, body } = await create({ api_key: DEFAULT_API_KEY });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      integration: 'acmehr',
      status: 'active',
      context: { companyId: 'co_acme', companyName: 'Acme Corporation', region: 'eu-west' },
    });
  });

  it('keeps an account with a wrong key in error, saying why', async () => {
    const { body } = await create({ api_key: 'wrong-key' });
    expect(body.status).toBe('error');
    expect(body.statusReason).toContain('401');
  });
});
