/**
 * Every request to a provider goes through here: the outbound guard when the URL's host is
 * tainted (see `templateFixesOrigin`), and a byte cap on the answer, read as a stream and
 * cancelled as soon as it passes the cap, so one huge or endless answer costs at most the cap
 * in memory. The answer comes back buffered as a standard `Response` (oauth4webapi takes it as
 * its `customFetch`).
 *
 * @example
 * const res = await providerFetch(url, { method: 'GET' }, { guarded: true, maxBytes: 1 << 20 });
 * @module
 */
import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { OutboundRequestRefusedError, ProviderResponseTooLargeError } from '../errors.js';
import { assertOutboundUrl, guardedDispatcher } from './guarded-dispatcher.js';

/** Default cap on one provider answer: 1 MiB (a definition's `maxResponseBytes` overrides it). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ProviderFetchOptions {
  /** The host came from credentials, context or a provider's answer: apply the outbound guard. */
  guarded: boolean;
  maxBytes?: number;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** As many as fetch() follows. */
const MAX_REDIRECTIONS = 20;

/** Reads a body up to `maxBytes`; beyond that, destroys the stream (hangs up) and throws. */
async function readCappedStream(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy();
      throw new ProviderResponseTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Redirects followed as fetch() follows them, each hop through the same dispatcher, so the
 * guard judges every hop. Built once per base dispatcher.
 */
const following = new WeakMap<Dispatcher, Dispatcher>();

/**
 * Unguarded requests get an agent of this undici, never the process's global dispatcher: once
 * Node's own fetch() has run, that is Node's bundled undici, whose handler API differs.
 */
let plain: Agent | undefined;
function plainDispatcher(): Agent {
  plain ??= new Agent();
  return plain;
}
function dispatcherFor(base: Dispatcher, redirect: RequestInit['redirect']): Dispatcher {
  if (redirect === 'manual') return base;
  let composed = following.get(base);
  if (!composed) {
    composed = base.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
    following.set(base, composed);
  }
  return composed;
}

const decoders: Record<string, (data: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
  deflate: async (data, options) => {
    // Servers send "deflate" both zlib-wrapped (as the RFC says) and raw; fetch() takes both.
    try {
      return await promisify(inflate)(data, options);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
      return promisify(inflateRaw)(data, options);
    }
  },
};

/** Decodes a compressed answer as fetch() does, the decoded size held to the same cap. */
async function decoded(data: Buffer, encoding: string | string[] | undefined, maxBytes: number) {
  const codings = String(encoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let out = data;
  for (const coding of codings.reverse()) {
    const decode = decoders[coding];
    // An unknown coding is passed through untouched, as fetch() does.
    if (!decode) return data;
    try {
      out = await decode(out, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ProviderResponseTooLargeError(maxBytes);
      }
      throw new TypeError('fetch failed', { cause: error });
    }
  }
  return out;
}

/** A fetch-style body as bytes or text, and the content type fetch() would give it. */
function bodyOf(body: RequestInit['body']): { data?: string | Uint8Array; type?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { data: body, type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) {
    return { data: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (body instanceof Uint8Array) return { data: body };
  if (body instanceof ArrayBuffer) return { data: new Uint8Array(body) };
  throw new TypeError('providerFetch sends string, URLSearchParams or byte bodies only');
}

/**
 * The error a failed request stands for: ours when the guard refused the connection, the
 * signal's reason when it was aborted, else what fetch() would throw ("fetch failed" with the
 * reason as its cause), which is what callers and oauth4webapi read.
 */
function unwrap(error: unknown, signal: AbortSignal | null | undefined): unknown {
  if (error instanceof OutboundRequestRefusedError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OutboundRequestRefusedError) return cause;
  if (signal?.aborted) return signal.reason ?? error;
  return new TypeError('fetch failed', { cause: error });
}

export async function providerFetch(
  input: string | URL,
  init: RequestInit,
  options: ProviderFetchOptions,
): Promise<Response> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const url = new URL(input);
  if (options.guarded) assertOutboundUrl(url);
  const { data, type } = bodyOf(init.body);
  // fetch()'s defaults, so providers see the same request as before.
  const headers = new Headers(init.headers);
  const flat: Record<string, string> = {};
  if (type && !headers.has('content-type')) headers.set('content-type', type);
  if (!headers.has('accept')) headers.set('accept', '*/*');
  if (!headers.has('user-agent')) headers.set('user-agent', 'undici');
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate');
  headers.forEach((value, name) => {
    flat[name] = value;
  });
  const base = options.guarded ? guardedDispatcher() : plainDispatcher();
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(url, {
      method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
      headers: flat,
      ...(data === undefined ? {} : { body: data }),
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher: dispatcherFor(base, init.redirect),
    });
  } catch (error) {
    throw unwrap(error, init.signal);
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    // The body is decoded and whole now: its encoding and length headers no longer describe it.
    if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
    for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
  }
  const declared = Number(answer.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    answer.body.destroy();
    throw new ProviderResponseTooLargeError(maxBytes);
  }
  let body: Buffer;
  try {
    body = await decoded(
      await readCappedStream(answer.body, maxBytes),
      answer.headers['content-encoding'],
      maxBytes,
    );
  } catch (error) {
    // Ours, or already shaped by `decoded`.
    if (error instanceof ProviderResponseTooLargeError || error instanceof TypeError) throw error;
    throw unwrap(error, init.signal);
  }
  return new Response(NULL_BODY_STATUSES.has(answer.statusCode) ? null : new Uint8Array(body), {
    status: answer.statusCode,
    statusText: STATUS_CODES[answer.statusCode] ?? '',
    headers: responseHeaders,
  });
}
