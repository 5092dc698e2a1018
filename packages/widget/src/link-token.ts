/**
 * Getting a link token: from the `link-token` attribute, or by a JSON POST to `token-url`
 * (the backend helper's endpoint) with the page's credentials.
 * @module
 */
import { TrutoConnectError } from './errors.js';

export interface LinkTokenInfo {
  token: string;
  linkUrl: string;
  /** Epoch ms; undefined when unknown. */
  expiresAt: number | undefined;
}

/** Treat a token as expired this long before its stated expiry (clock skew, page load). */
export const EXPIRY_MARGIN_MS = 15_000;

export function isExpired(info: LinkTokenInfo, now = Date.now()): boolean {
  return info.expiresAt !== undefined && info.expiresAt - EXPIRY_MARGIN_MS <= now;
}

/** `linkUrl` for a token the page fetched itself. */
export function linkUrlFor(platformUrl: string, token: string): string {
  const url = new URL('link/connect', platformUrl.endsWith('/') ? platformUrl : `${platformUrl}/`);
  url.searchParams.set('link_token', token);
  return url.href;
}

export async function fetchLinkToken(
  tokenUrl: string,
  body: Record<string, string>,
  fetchImpl: typeof fetch = fetch,
): Promise<LinkTokenInfo> {
  let response: Response;
  try {
    response = await fetchImpl(tokenUrl, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new TrutoConnectError('network_error', `could not reach ${tokenUrl}`, { cause });
  }
  if (!response.ok) {
    throw new TrutoConnectError('network_error', `${tokenUrl} answered ${response.status}`);
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const token = data.linkToken ?? data.token;
  const { linkUrl, expiresAt } = data;
  if (typeof token !== 'string' || typeof linkUrl !== 'string') {
    throw new TrutoConnectError('invalid_token', `${tokenUrl} did not answer with a link token`);
  }
  const at = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
  return { token, linkUrl, expiresAt: Number.isNaN(at) ? undefined : at };
}
