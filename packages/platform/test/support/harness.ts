/**
 * Boots a real platform (HTTP on a loopback port) on a fresh database, with a test provider,
 * two tenants and captured logs. `call()` talks to it over HTTP and holds every response to
 * the served spec.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { DatabaseKind } from '../../src/db/database.js';
import { REDACT_PATHS } from '../../src/logger.js';
import { compileResponseValidator, type ResponseValidator } from '../../src/openapi/operation-validators.js';
import { loadOpenApiDocument } from '../../src/openapi/spec.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './databases.js';
import { json, type ProviderServer, startProviderServer } from './provider-server.js';
import { writeTestIntegrations } from './test-integrations.js';

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Recorded {
  operationId: string;
  status: number;
  body: unknown;
}

export interface Harness {
  kind: DatabaseKind;
  platform: Platform;
  baseUrl: string;
  provider: ProviderServer;
  database: TestDatabase;
  tenantA: { id: string; token: string };
  tenantB: { id: string; token: string };
  logs: string[];
  /** Every call made, for checking against another spec. */
  recorded: Recorded[];
  call(operationId: string, method: string, path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

const servedValidator: ResponseValidator = compileResponseValidator(loadOpenApiDocument());

export async function startHarness(kind: DatabaseKind): Promise<Harness> {
  const provider = await startProviderServer();
  provider.route('GET /acme/company', (_req, res) =>
    json(res, 200, { id: 'co_1', name: 'Acme', region: 'eu' }),
  );
  const database = await createTestDatabase(kind);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
  const platform = await createPlatform({
    database: database.url,
    integrations: [writeTestIntegrations(provider.url)],
    secretKey: TEST_SECRET_KEY,
    logger,
  });
  const { url } = await platform.listen(0, '127.0.0.1');
  const a = await platform.tenants.create({ name: 'Tenant A', allowedOrigins: ['https://app.a.test'] });
  const b = await platform.tenants.create({ name: 'Tenant B', allowedOrigins: ['https://app.b.test'] });
  const recorded: Recorded[] = [];

  return {
    kind,
    platform,
    baseUrl: url,
    provider,
    database,
    tenantA: { id: a.tenant.id, token: a.apiToken },
    tenantB: { id: b.tenant.id, token: b.apiToken },
    logs,
    recorded,
    async call(operationId, method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token === undefined ? a.apiToken : options.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      const parsed = text === '' ? undefined : JSON.parse(text);
      recorded.push({ operationId, status: response.status, body: parsed });
      const issues = servedValidator(operationId, response.status, parsed);
      expect(issues, `${method} ${path} → ${response.status} ${text}`).toEqual([]);
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await platform.close();
      await provider.close();
      await database.dispose();
    },
  };
}
