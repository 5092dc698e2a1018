/**
 * Handing the signed result to the backend helper: with `complete-url`, the element POSTs
 * `{result}` there (JSON, with the page's credentials, like `token-url`) and reports success
 * only once the server verified and accepted it (2xx). The server's `connection` comes back in
 * the success event; any refusal is `verification_failed`.
 * @module
 */
import { TrutoConnectError } from './errors.js';
import type { TrutoConnection } from './events.js';

export async function completeResult(
  completeUrl: string,
  result: string,
): Promise<TrutoConnection | undefined> {
  let response: Response;
  try {
    response = await fetch(completeUrl, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ result }),
    });
  } catch (cause) {
    throw new TrutoConnectError('verification_failed', `could not reach ${completeUrl}`, { cause });
  }
  const body = (await response.json().catch(() => ({}))) as {
    connection?: TrutoConnection;
    message?: unknown;
  };
  if (!response.ok) {
    const why = typeof body.message === 'string' ? `: ${body.message}` : '';
    throw new TrutoConnectError('verification_failed', `${completeUrl} answered ${response.status}${why}`);
  }
  return body.connection;
}
