/**
 * The helper's transport to the Admin API: an undici `Agent` (kept-alive connections, Nagle
 * off, timeouts), plugged into openapi-fetch as its `Request` class and `fetch`. It exists for
 * speed: a link token through the helper should cost little more than one straight to the
 * platform (see `bench/`). The global fetch moves every body through web streams (about 1 ms of
 * CPU per call on a busy 2-core machine), and `node:http`'s client builds a `ClientRequest` and
 * an `IncomingMessage` stream per call; `Agent.dispatch` with a handler that only collects the
 * answer's bytes costs about half of the latter. So the request carries its serialized body as
 * is, and the answer is buffered once. Only what openapi-fetch uses is here.
 * @module
 */
import { Agent, type Dispatcher } from 'undici';

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
    // openapi-fetch hands over a Headers it built for this request alone: no copy needed.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
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

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Collects one answer; undici calls it in order: start, data..., end (or error at any point). */
class CollectingHandler implements Dispatcher.DispatchHandler {
  #status = 0;
  #statusText = '';
  #headers: Record<string, string | string[] | undefined> = {};
  readonly #chunks: Buffer[] = [];

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly resolve: (answer: BufferedResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Present so undici treats this as a handler of its current API (it checks for this method). */
  onRequestStart(): void {}

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    this.#status = statusCode;
    this.#headers = headers;
    this.#statusText = statusMessage ?? '';
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const headers = new Headers();
    for (const name in this.#headers) {
      const value = this.#headers[name];
      if (Array.isArray(value)) for (const one of value) headers.append(name, one);
      else if (value !== undefined) headers.append(name, value);
    }
    const bytes = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    this.resolve(new BufferedResponse(this.#status, this.#statusText, headers, this.url, bytes));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const code = (error as { code?: unknown }).code;
    this.reject(
      typeof code === 'string' && TIMEOUTS.has(code)
        ? new Error(`no answer within ${this.timeoutMs} ms`, { cause: error })
        : error,
    );
  }
}

export function keepAliveTransport(options: { timeoutMs?: number } = {}): KeepAliveTransport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // One dispatcher for whatever origin a call names (openapi-fetch allows a per-call baseUrl).
  const agent = new Agent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });
  function send(request: PlainRequest): Promise<BufferedResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (cause) {
      return Promise.reject(new TypeError(`invalid URL ${request.url}`, { cause }));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(new TypeError(`unsupported URL scheme ${url.protocol}`));
    }
    const headers: string[] = [];
    request.headers.forEach((value, name) => {
      headers.push(name, value);
    });
    return new Promise((resolve, reject) => {
      // A bad option throws here or reaches onResponseError; both reject.
      try {
        agent.dispatch(
          {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: request.method as Dispatcher.HttpMethod,
            headers,
            body: request.body ?? null,
          },
          new CollectingHandler(url.href, timeoutMs, resolve, reject),
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
  return {
    Request: PlainRequest as unknown as typeof Request,
    fetch: (request) => send(request as unknown as PlainRequest) as unknown as Promise<Response>,
  };
}
