import { createServer, type Server, type ServerResponse } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundRequestRefusedError, ProviderResponseTooLargeError } from '../errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, providerFetch } from './provider-fetch.js';

const MiB = 1024 * 1024;

describe('providerFetch', () => {
  let server: Server;
  let base: string;
  /** Bytes the endless route managed to write, and whether the client hung up. */
  const endless = { written: 0, closed: false };

  beforeAll(async () => {
    server = createServer((req, res: ServerResponse) => {
      if (req.url === '/endless') {
        // No content-length: the only way to stop is for the client to hang up.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed) {
            endless.written += chunk.length;
            if (!res.write(chunk)) break;
          }
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => {
          endless.closed = true;
        });
        pump();
        return;
      }
      if (req.url === '/declared') {
        // Says up front it is 300 MB; sends nothing more.
        res.writeHead(200, { 'content-length': String(300 * 1024 * MiB) });
        res.flushHeaders();
        return;
      }
      if (req.url === '/gzip' || req.url === '/deflate') {
        const json = Buffer.from(JSON.stringify({ packed: true }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': req.url.slice(1) });
        res.end(req.url === '/gzip' ? gzipSync(json) : deflateSync(json));
        return;
      }
      if (req.url === '/bomb') {
        // 2 KiB on the wire, 8 MiB once unpacked.
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.alloc(8 * MiB, 0x20)));
        return;
      }
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/small' }).end();
        return;
      }
      if (req.url === '/echo') {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString();
        });
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
        });
        return;
      }
      if (req.url === '/small') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
        return;
      }
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns an answer under the cap as a plain Response', async () => {
    const res = await providerFetch(`${base}/small`, {}, { guarded: false });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    const empty = await providerFetch(`${base}/nothing`, {}, { guarded: false });
    expect(empty.status).toBe(204);
  });

  it('stops reading an endless answer at the cap, hangs up, and fails clearly', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const error = await providerFetch(`${base}/endless`, {}, { guarded: false }).catch((e: unknown) => e);
    const after = process.memoryUsage().rss;
    expect(error).toBeInstanceOf(ProviderResponseTooLargeError);
    expect((error as ProviderResponseTooLargeError).code).toBe('provider_response_too_large');
    expect((error as Error).message).toContain(String(DEFAULT_MAX_RESPONSE_BYTES));
    await expect.poll(() => endless.closed).toBe(true);
    console.log(
      `endless answer, 1 MiB cap: RSS ${(before / MiB).toFixed(1)} MiB -> ${(after / MiB).toFixed(1)} MiB ` +
        `(+${((after - before) / MiB).toFixed(1)} MiB); the server wrote ${(endless.written / MiB).toFixed(1)} MiB before the client hung up`,
    );
  });

  it('refuses an answer whose declared length is over the cap without reading it', async () => {
    const error = await providerFetch(`${base}/declared`, {}, { guarded: false, maxBytes: 4096 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderResponseTooLargeError);
    expect((error as ProviderResponseTooLargeError).maxBytes).toBe(4096);
  });

  it('decodes compressed answers as fetch() did, the unpacked size held to the cap', async () => {
    for (const path of ['/gzip', '/deflate']) {
      const res = await providerFetch(`${base}${path}`, {}, { guarded: false });
      expect(await res.json()).toEqual({ packed: true });
      expect(res.headers.get('content-encoding')).toBeNull();
    }
    const bomb = await providerFetch(`${base}/bomb`, {}, { guarded: false }).catch((e: unknown) => e);
    expect(bomb).toBeInstanceOf(ProviderResponseTooLargeError);
  });

  it('follows redirects unless told not to, and sends what fetch() sent', async () => {
    const followed = await providerFetch(`${base}/moved`, {}, { guarded: false });
    expect(followed.status).toBe(201);
    const manual = await providerFetch(`${base}/moved`, { redirect: 'manual' }, { guarded: false });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/small');
    const echo = await providerFetch(
      `${base}/echo`,
      { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) },
      { guarded: false },
    );
    const seen = (await echo.json()) as { method: string; headers: Record<string, string>; body: string };
    expect(seen).toMatchObject({ method: 'POST', body: 'grant_type=refresh_token' });
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(seen.headers.accept).toBe('*/*');
    expect(echo.statusText).toBe('OK');
  });

  it('fails as fetch() fails: "fetch failed" with the reason as cause, or the abort reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await providerFetch(`http://127.0.0.1:${port}/`, {}, { guarded: false }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toBe('fetch failed');
    expect(((refused as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
    const aborted = await providerFetch(
      `${base}/declared`,
      { signal: AbortSignal.abort(new Error('gave up')) },
      { guarded: false },
    ).catch((e: unknown) => e);
    expect((aborted as Error).message).toBe('gave up');
  });

  it('guards a tainted URL: https only, and a name resolving to loopback is refused', async () => {
    const port = new URL(base).port;
    await expect(providerFetch(`${base}/small`, {}, { guarded: true })).rejects.toThrow(/must use https/);
    const refused = await providerFetch(`https://localhost:${port}/small`, {}, { guarded: true }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(OutboundRequestRefusedError);
    expect((refused as Error).message).toMatch(/localhost \(it resolves to (127\.0\.0\.1|::1)\): a loopback/);
  });
});
