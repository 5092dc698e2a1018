/**
 * Checks on the browser-facing POSTs, before anything runs: same-origin only (so another site
 * cannot mint link tokens or post results with the user's cookies) and JSON only (which a plain
 * HTML form cannot send). Headers in, error out; no framework.
 * @module
 */
import { TrutoConnectError } from './errors.js';

export type HeaderReader = (name: string) => string | undefined;

/**
 * Same-origin: `Sec-Fetch-Site` when the browser sends it (it knows best, even behind proxies),
 * else `Origin` against the app's origin. A request with neither is not from a browser's
 * cross-site context (curl, server to server) and has no cookies to abuse.
 */
export function checkSameOrigin(header: HeaderReader, expectedOrigin: () => string): void {
  const site = header('sec-fetch-site');
  if (site !== undefined) {
    if (site.trim().toLowerCase() === 'same-origin') return;
    throw new TrutoConnectError('cross_site_request', `a ${site} request is not accepted here`);
  }
  const origin = header('origin');
  if (origin !== undefined && origin !== expectedOrigin()) {
    throw new TrutoConnectError('cross_site_request', `requests from ${origin} are not accepted here`);
  }
}

export function checkJsonContentType(header: HeaderReader): void {
  const type = header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new TrutoConnectError('unsupported_media_type', 'send the body as application/json');
  }
}

export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (cause) {
    throw new TrutoConnectError('invalid_json', 'the body is not valid JSON', { cause });
  }
}
