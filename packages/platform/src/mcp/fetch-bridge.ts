/**
 * Hands an already-parsed MCP POST to the SDK's web-standard handler (`createMcpHandler().fetch`)
 * and writes its answer back to Node, doing what `toNodeHandler` of `@modelcontextprotocol/node`
 * does with less work per request: the `Request` carries no body (the SDK takes `parsedBody`
 * and never reads one then), and a plain JSON answer is written in one piece with its length
 * instead of being pumped through a web stream. Event streams (2025-era answers) are still
 * streamed as they come, with backpressure, and stopped when the client goes away.
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';

export interface FetchHandler {
  fetch(request: Request, options?: { authInfo?: AuthInfo; parsedBody?: unknown }): Promise<Response>;
}

/** The JSON-RPC id to echo on an error the bridge itself answers. */
function idOf(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export function fetchBridge(handler: FetchHandler, onerror: (error: Error) => void) {
  return async function serveParsed(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    parsedBody: unknown,
  ): Promise<void> {
    let finished = false;
    const abort = new AbortController();
    res.on('close', () => {
      if (!finished) abort.abort();
    });
    let response: Response;
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name.startsWith(':')) continue;
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else headers.set(name, value);
      }
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        signal: abort.signal,
      });
      response = await handler.fetch(request, { ...(req.auth ? { authInfo: req.auth } : {}), parsedBody });
    } catch (error) {
      onerror(error instanceof Error ? error : new Error(String(error)));
      response = Response.json(
        { jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: idOf(parsedBody) },
        { status: 500 },
      );
    }
    const headers: OutgoingHttpHeaders = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const streaming = response.headers.get('content-type')?.split(';')[0]?.trim() === 'text/event-stream';
    if (response.body === null || !streaming) {
      const bytes = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
      if (bytes) headers['content-length'] = String(bytes.byteLength);
      finished = true;
      res.writeHead(response.status, headers).end(bytes);
      return;
    }
    res.writeHead(response.status, headers);
    res.flushHeaders();
    const closed = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve()));
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (abort.signal.aborted) break;
        if (!res.write(chunk)) {
          await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed]);
        }
      }
    } catch {
      // The stream failed or was cancelled: end the answer as it stands.
    }
    finished = true;
    res.end();
  };
}
