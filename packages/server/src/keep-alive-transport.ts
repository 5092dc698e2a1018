/**
 * The helper's transport to the Admin API: `node:http`/`node:https` with kept-alive connections
 * and a timeout, plugged into openapi-fetch as its `Request` class and `fetch`. It exists for
 * speed: the global fetch's `Request`/`Response` move every body through web streams, which
 * costs about a millisecond per call under load, and a link token through the helper should
 * cost little more than one straight to the platform (see `bench/`). So the request carries its
 * serialized body as is, and the answer is buffered once. Only what openapi-fetch uses is here.
 * @module
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What openapi-fetch builds with `new Request(url, init)`: kept as given, no streams. */
export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;

  constructor(
    url: string,
    init: { method?: string; headers?: ConstructorParameters<typeof Headers>[0]; body?: unknown } = {},
  ) {
    this.url = url;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = new Headers(init.headers);
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('only string bodies are sent to the Admin API');
    }
    this.body = init.body ?? undefined;
  }
}

/** A fully read answer with the parts of `Response` that openapi-fetch and callers read. */
export class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly body = null;
  readonly bodyUsed = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
    private readonly bytes: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.bytes).buffer;
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.status, this.statusText, this.headers, this.url, this.bytes);
  }
}

export interface KeepAliveTransport {
  Request: typeof Request;
  fetch: (request: Request) => Promise<Response>;
}

export function keepAliveTransport(options: { timeoutMs?: number } = {}): KeepAliveTransport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // The timeout lives on the agents' sockets (an idle timer per connection), not per request.
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout: timeoutMs }),
    'https:': new HttpsAgent({ keepAlive: true, timeout: timeoutMs }),
  };
  function send(request: PlainRequest): Promise<BufferedResponse> {
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(new TypeError(`unsupported URL scheme ${url.protocol}`));
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    if (body) headers['content-length'] = String(body.length);
    const call = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = call(
        url,
        { method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] },
        (incoming: IncomingMessage) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const answerHeaders = new Headers();
            for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
              answerHeaders.append(incoming.rawHeaders[i] as string, incoming.rawHeaders[i + 1] as string);
            }
            resolve(
              new BufferedResponse(
                incoming.statusCode ?? 502,
                incoming.statusMessage ?? '',
                answerHeaders,
                url.href,
                Buffer.concat(chunks),
              ),
            );
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
  return {
    Request: PlainRequest as unknown as typeof Request,
    fetch: (request) => send(request as unknown as PlainRequest) as unknown as Promise<Response>,
  };
}
