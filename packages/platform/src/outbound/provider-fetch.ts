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
import { fetch as undiciFetch } from 'undici';
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

/** Reads a body up to `maxBytes`; beyond that, cancels the stream and throws. */
export async function readCapped(response: Response, maxBytes: number): Promise<ArrayBuffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderResponseTooLargeError(maxBytes);
  }
  if (!response.body) return new ArrayBuffer(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ProviderResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks, total);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The error a failed fetch stands for: ours when the guard refused the connection. */
function unwrap(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof OutboundRequestRefusedError ? cause : error;
}

export async function providerFetch(
  input: string | URL,
  init: RequestInit,
  options: ProviderFetchOptions,
): Promise<Response> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const url = new URL(input);
  if (options.guarded) assertOutboundUrl(url);
  let response: Response;
  try {
    // undici's own fetch, so its Agent (the guard) is the dispatcher of a matching version.
    response = (await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      ...(options.guarded ? { dispatcher: guardedDispatcher() } : {}),
    })) as unknown as Response;
  } catch (error) {
    throw unwrap(error);
  }
  const body = await readCapped(response, maxBytes);
  const headers = new Headers();
  // The body is decoded and whole now: its encoding and length headers no longer describe it.
  response.headers.forEach((value, name) => {
    if (name !== 'content-encoding' && name !== 'content-length') headers.append(name, value);
  });
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
