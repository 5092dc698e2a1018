/**
 * The next page of a list whose method declares no `pagination`, when the provider says where
 * it is in a `Link` header (RFC 8288 `rel="next"`): a model cannot see headers, so the tool
 * result carries it as `next: {url, cursor?}`. Methods that declare their paging get
 * `provider/pagination.ts`'s `next: {<param>: value}` instead.
 * @module
 */

export interface NextPage {
  url: string;
  /** The `cursor` query parameter of that URL, when it has one. */
  cursor?: string;
}

export function nextPageOf(headers: Headers): NextPage | undefined {
  const link = headers.get('link');
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels =
      /;\s*rel\s*=\s*"?([^";]+)"?/i
        .exec(match[2] ?? '')?.[1]
        ?.toLowerCase()
        .split(/\s+/) ?? [];
    if (!rels.includes('next')) continue;
    const url = match[1] ?? '';
    try {
      const cursor = new URL(url).searchParams.get('cursor');
      return cursor === null ? { url } : { url, cursor };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
