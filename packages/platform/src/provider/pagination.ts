/**
 * The next page of a list method's answer, by the paging style its definition declares, as the
 * argument to pass on the next call (`{cursor: "…"}`, `{offset: 200}`, `{page: 3}`). A model
 * cannot see headers, and each provider says "there is more" its own way; this turns all of
 * them into one shape a tool answer can carry. `undefined` means this was the last page.
 * @module
 */
import type { PaginationDefinition } from '../integrations/definition.js';
import { type Answer, readAnswer } from './answer-path.js';

const DEFAULT_PARAM: Record<PaginationDefinition['style'], string> = {
  cursor: 'cursor',
  link_header: 'cursor',
  next_url: 'cursor',
  offset: 'offset',
  page: 'page',
};

/** The tool argument that takes the next value. */
export function paginationParamOf(pagination: PaginationDefinition): string {
  return pagination.param ?? DEFAULT_PARAM[pagination.style];
}

/** The `rel="next"` target of an RFC 8288 `Link` header. */
export function linkHeaderNext(headers: Headers): string | undefined {
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
    if (rels.includes('next')) return match[1];
  }
  return undefined;
}

function present(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** `false`, `"false"`, 0 and absent-but-declared mean "no more". */
function saysMore(value: unknown): boolean {
  return value === true || value === 'true' || (typeof value === 'number' && value > 0);
}

function numberOf(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

/**
 * The arguments for the next page, given this call's arguments and its answer.
 * @param input this call's arguments (the current offset or page, the page size).
 */
export function nextPageFor(
  pagination: PaginationDefinition,
  answer: Answer,
  input: Readonly<Record<string, unknown>> = {},
): Record<string, string | number> | undefined {
  const param = paginationParamOf(pagination);
  const hasMore =
    pagination.hasMorePath === undefined ? undefined : saysMore(readAnswer(pagination.hasMorePath, answer));
  if (hasMore === false) return undefined;
  switch (pagination.style) {
    case 'cursor': {
      const cursor = readAnswer(pagination.cursorPath ?? '', answer);
      return present(cursor) ? { [param]: cursor } : undefined;
    }
    case 'next_url': {
      const url = readAnswer(pagination.nextUrlPath ?? '', answer);
      return typeof url === 'string' && url !== '' ? { [param]: url } : undefined;
    }
    case 'link_header': {
      const url = linkHeaderNext(answer.headers);
      if (url === undefined) return undefined;
      let value: string | null = null;
      try {
        value = new URL(url).searchParams.get(param);
      } catch {
        // A relative target: hand back the URL itself.
      }
      return { [param]: value ?? url };
    }
    case 'offset': {
      const items = readAnswer(pagination.itemsPath ?? '', answer);
      if (!Array.isArray(items) || items.length === 0) return undefined;
      if (hasMore === undefined && pagination.limitParam !== undefined) {
        const limit = numberOf(input[pagination.limitParam], Number.NaN);
        if (Number.isFinite(limit) && items.length < limit) return undefined;
      }
      return { [param]: numberOf(input[param], 0) + items.length };
    }
    case 'page': {
      const current = numberOf(input[param], 1);
      if (pagination.totalPagesPath !== undefined) {
        const total = numberOf(readAnswer(pagination.totalPagesPath, answer), Number.NaN);
        if (!Number.isFinite(total) || current >= total) return undefined;
      } else if (pagination.itemsPath !== undefined) {
        const items = readAnswer(pagination.itemsPath, answer);
        if (!Array.isArray(items) || items.length === 0) return undefined;
      } else if (hasMore === undefined) {
        return undefined;
      }
      return { [param]: current + 1 };
    }
  }
}
