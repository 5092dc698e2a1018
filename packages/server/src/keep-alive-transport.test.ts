import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminClient } from './admin-client.js';
import { AdminApiError } from './errors.js';
import { keepAliveTransport } from './keep-alive-transport.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const listening = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => handler(req, body, res));
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as { port: number }).port}`;
}

describe('keepAliveTransport under openapi-fetch', () => {
  it('sends method, headers and body, and reads JSON and empty answers, on kept-alive connections', async () => {
    const seen: Array<{
      method?: string;
      url?: string;
      headers: IncomingMessage['headers'];
      body: string;
      socket: unknown;
    }> = [];
    const baseUrl = await serve((req, body, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body, socket: req.socket });
      if (req.method === 'DELETE') {
        res.writeHead(204).end();
        return;
      }
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end('{"token":"tc_link_x","linkUrl":"http://l","expiresAt":"t"}');
    });
    const admin = createAdminClient({ baseUrl, apiToken: 'tc_api_secret', ...keepAliveTransport() });
    expect(await admin.createLinkToken({ integration: 'acmehr', externalId: 'ü-1' })).toEqual({
      token: 'tc_link_x',
      linkUrl: 'http://l',
      expiresAt: 't',
    });
    await admin.deleteIntegratedAccount('acc_1');
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/link-tokens',
      headers: { authorization: 'Bearer tc_api_secret', 'content-type': 'application/json' },
    });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ integration: 'acmehr', externalId: 'ü-1' });
    expect(seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength(seen[0]?.body ?? '')));
    expect(seen[1]).toMatchObject({ method: 'DELETE', url: '/integrated-accounts/acc_1' });
    // undici waits one event-loop turn before reusing a connection, so calls made back to back
    // alternate between two; without keep-alive each call would open its own.
    for (let i = 0; i < 8; i++) await admin.deleteIntegratedAccount(`acc_${i}`);
    expect(new Set(seen.map((request) => request.socket)).size).toBeLessThanOrEqual(2);
  });

  it('turns an error answer into AdminApiError and a silent server into a timeout', async () => {
    const baseUrl = await serve((req, _body, res) => {
      if (req.url?.startsWith('/integrated-accounts/slow')) return undefined; // never answers
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":"not_found","message":"no such account"}');
    });
    const admin = createAdminClient({ baseUrl, apiToken: 'x', ...keepAliveTransport({ timeoutMs: 200 }) });
    const missing = await admin.getIntegratedAccount('acc_1').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(AdminApiError);
    expect(missing).toMatchObject({ status: 404, error: 'not_found', message: 'no such account' });
    const slow = await admin.getIntegratedAccount('slow').catch((error: unknown) => error);
    expect(slow).toMatchObject({ status: 0, error: 'unreachable' });
    expect(String((slow as Error).cause)).toContain('no answer within 200 ms');
  });
});
