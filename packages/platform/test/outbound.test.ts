/**
 * The outbound guard and the answer cap, end to end through the Admin API, with loopback only:
 * a credential that makes the provider host resolve to loopback is refused before any
 * connection, while the operator-configured test provider (also loopback, plain http) works.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationDefinition } from '../src/integrations/definition.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { refreshCredentials } from '../src/provider/token-refresh.js';
import { TEST_SECRET_KEY } from './support/databases.js';
import { json, type ProviderServer, startProviderServer } from './support/provider-server.js';

const MiB = 1024 * 1024;
const apiKeyMethod = (fields: IntegrationDefinition['authMethods'][number]['fields'] = []) => ({
  format: 'api_key' as const,
  label: 'API key',
  fields: [...fields, { name: 'api_key', label: 'API key', secret: true }],
  apply: { headers: { Authorization: 'Bearer {api_key}' } },
});

function definitions(providerUrl: string): IntegrationDefinition[] {
  const check = [{ id: 'check', request: { method: 'GET' as const, path: '/check' } }];
  return [
    {
      // The host comes from a credential (a pattern that, unlike the shipped ones, lets a port through).
      name: 'hostfield',
      label: 'Host from a field',
      baseUrl: 'https://{host}',
      authMethods: [apiKeyMethod([{ name: 'host', label: 'Host', pattern: '^[a-z0-9.-]+(:[0-9]+)?$' }])],
      postInstall: check,
    },
    {
      // The host comes from the token response, as Salesforce's instance_url does.
      name: 'instancehost',
      label: 'Host from the token response',
      baseUrl: '{instance_url}',
      authMethods: [
        {
          format: 'oauth2',
          label: 'OAuth',
          oauth2: {
            grant: 'authorization_code',
            authorizeUrl: `${providerUrl}/authorize`,
            tokenUrl: `${providerUrl}/token`,
            tokenResponseFields: [
              { name: 'instance_url', label: 'Instance', pattern: '^https?://[a-z0-9.-]+(:[0-9]+)?$' },
            ],
          },
          apply: { headers: { Authorization: 'Bearer {access_token}' } },
        },
      ],
      postInstall: check,
    },
    {
      name: 'fixedhost',
      label: 'Operator-configured host',
      baseUrl: providerUrl,
      authMethods: [apiKeyMethod()],
      postInstall: check,
    },
    {
      name: 'smallcap',
      label: 'Operator-configured host, 4 KiB cap',
      baseUrl: `${providerUrl}/small`,
      maxResponseBytes: 4096,
      authMethods: [apiKeyMethod()],
      postInstall: check,
    },
  ];
}

describe('outbound requests to providers', () => {
  let provider: ProviderServer;
  let platform: Platform;
  let base: string;
  let token: string;
  /** A loopback port that counts connections: a refused request must never reach it. */
  let trap: Server;
  let trapPort: number;
  let trapConnections = 0;

  beforeAll(async () => {
    provider = await startProviderServer();
    trap = createServer((socket) => {
      trapConnections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    trapPort = (trap.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'truto-outbound-'));
    for (const def of definitions(provider.url)) {
      writeFileSync(join(dir, `${def.name}.json`), JSON.stringify(def));
    }
    platform = await createPlatform({
      database: 'sqlite::memory:',
      secretKey: TEST_SECRET_KEY,
      integrations: [dir],
      logger: pino({ level: 'silent' }),
      webhooks: false,
    });
    base = (await platform.listen(0, '127.0.0.1')).url;
    token = (await platform.tenants.create({ name: 'Outbound' })).apiToken;
  });
  afterAll(async () => {
    await platform?.close();
    await provider?.close();
    await new Promise<void>((resolve) => trap.close(() => resolve()));
  });

  const connect = async (integration: string, credentials: Record<string, string>) => {
    const res = await fetch(`${base}/integrated-accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ integration, credentials }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  describe('a host taken from a credential', () => {
    it('is refused when it resolves to loopback, with a clear reason and no connection', async () => {
      const connectionsBefore = trapConnections;
      const { status, body } = await connect('hostfield', { host: `localhost:${trapPort}`, api_key: 'k' });
      expect(status).toBe(201);
      expect(body.status).toBe('error');
      expect(body.statusReason).toMatch(
        /^post-install step "check" failed: refused to call localhost \(it resolves to (127\.0\.0\.1|::1)\): a loopback address/,
      );
      expect(trapConnections).toBe(connectionsBefore);
    });

    it.each(['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '2130706433'])(
      'is refused as the loopback literal %s',
      async (host) => {
        // The pattern of this test definition lets digits and dots through; brackets it does not.
        const connectionsBefore = trapConnections;
        const { status, body } = await connect('hostfield', { host: `${host}:${trapPort}`, api_key: 'k' });
        if (status === 400) {
          expect(body.error).toBe('invalid_credential');
        } else {
          expect(body.statusReason).toMatch(/refused to call .*loopback/);
        }
        expect(trapConnections).toBe(connectionsBefore);
      },
    );
  });

  it('a host from the token response (instance_url) is refused the same way, and so is plain http', async () => {
    const connectionsBefore = trapConnections;
    const checksBefore = provider.requests.length;
    const loopback = await connect('instancehost', {
      access_token: 'at',
      instance_url: `https://localhost:${trapPort}`,
    });
    expect(loopback.body.statusReason).toMatch(/refused to call localhost .*loopback/);
    const plain = await connect('instancehost', { access_token: 'at', instance_url: provider.url });
    expect(plain.body.statusReason).toMatch(/must use https/);
    expect(trapConnections).toBe(connectionsBefore);
    expect(provider.requests.length).toBe(checksBefore);
  });

  it('an OAuth refresh at a token URL whose host comes from a credential is refused', async () => {
    const connectionsBefore = trapConnections;
    const error = await refreshCredentials(
      {
        format: 'oauth2',
        label: 'OAuth',
        oauth2: { grant: 'authorization_code', tokenUrl: 'https://{hostname}/services/oauth2/token' },
        apply: {},
      },
      { hostname: `localhost:${trapPort}`, access_token: 'a', refresh_token: 'r' },
      { clientId: 'c', clientSecret: 's' },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/refused to call localhost .*loopback/);
    expect(trapConnections).toBe(connectionsBefore);
  });

  it('the operator-configured provider on loopback (plain http) still works', async () => {
    provider.route('GET /check', (_req, res) => json(res, 200, { ok: true }));
    const { body } = await connect('fixedhost', { api_key: 'k' });
    expect(body.status).toBe('active');
  });

  describe('statusReason', () => {
    it('carries the provider’s short message, never its body', async () => {
      provider.route('GET /check', (_req, res) =>
        json(res, 401, { message: 'Invalid API key', internal: 'SECRET-BODY-PART', trace: 'x'.repeat(500) }),
      );
      const { body } = await connect('fixedhost', { api_key: 'k' });
      expect(body.statusReason).toBe(
        'post-install step "check" failed: the provider answered 401: Invalid API key',
      );
    });

    it('takes error_description, then error', async () => {
      provider.route('GET /check', (_req, res) =>
        json(res, 400, { error: 'invalid_grant', error_description: 'The token expired' }),
      );
      expect((await connect('fixedhost', { api_key: 'k' })).body.statusReason).toMatch(
        /: The token expired$/,
      );
      provider.route('GET /check', (_req, res) =>
        json(res, 400, { error: 'invalid_grant', other: 'SECRET' }),
      );
      expect((await connect('fixedhost', { api_key: 'k' })).body.statusReason).toMatch(/: invalid_grant$/);
    });

    it('says only the status text for a body that is not a JSON message, and cuts long messages to 200 characters', async () => {
      provider.route('GET /check', (_req, res) => {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html>SECRET-BODY-PART: stack trace, internal hosts</html>');
      });
      const html = await connect('fixedhost', { api_key: 'k' });
      expect(html.body.statusReason).toBe(
        'post-install step "check" failed: the provider answered 500: Internal Server Error',
      );
      provider.route('GET /check', (_req, res) =>
        json(res, 403, { message: `${'m'.repeat(300)}\n\u0000tail` }),
      );
      const long = await connect('fixedhost', { api_key: 'k' });
      expect(long.body.statusReason).toBe(
        `post-install step "check" failed: the provider answered 403: ${'m'.repeat(200)}`,
      );
    });
  });

  describe('answer size', () => {
    it('a definition’s maxResponseBytes caps its answers', async () => {
      provider.route('GET /small/check', (_req, res) => json(res, 200, { pad: 'x'.repeat(8192) }));
      const { body } = await connect('smallcap', { api_key: 'k' });
      expect(body.statusReason).toBe(
        `post-install step "check" failed: the provider's answer is larger than 4096 bytes; it was not read`,
      );
      provider.route('GET /small/check', (_req, res) => json(res, 200, { pad: 'x'.repeat(1024) }));
      expect((await connect('smallcap', { api_key: 'k' })).body.status).toBe('active');
    });

    it('a 300 MB answer fails at the 1 MiB default without the process reading it all', async () => {
      let written = 0;
      provider.route('GET /check', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(MiB, 0x20);
        const pump = () => {
          while (!res.destroyed && written < 300 * MiB) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
      });
      const before = process.memoryUsage().rss;
      const { body } = await connect('fixedhost', { api_key: 'k' });
      const after = process.memoryUsage().rss;
      expect(body.status).toBe('error');
      expect(body.statusReason).toMatch(/larger than 1048576 bytes/);
      console.log(
        `300 MB post-install answer: RSS ${(before / MiB).toFixed(0)} MiB -> ${(after / MiB).toFixed(0)} MiB; ` +
          `the provider wrote ${(written / MiB).toFixed(0)} of 300 MiB before the platform hung up`,
      );
    });
  });
});
