/**
 * The next page of a provider's list when its method declares no paging but the provider says
 * where the next page is in a `Link` header (RFC 8288 `rel="next"`): a model cannot see headers,
 * so the tool result carries it as `next: {url, cursor?}`. Methods that declare their paging
 * use `provider/pagination.ts` instead.
 * @module
 */
import { linkHeaderNext } from '../provider/pagination.js';

export interface NextPage {
  url: string;
  /** The `cursor` query parameter of that URL, when it has one. */
  cursor?: string;
}

export function nextPageOf(headers: Headers): NextPage | undefined {
  const url = linkHeaderNext(headers);
  if (url === undefined) return undefined;
  try {
    const cursor = new URL(url).searchParams.get('cursor');
    return cursor === null ? { url } : { url, cursor };
  } catch {
    return undefined;
  }
}
