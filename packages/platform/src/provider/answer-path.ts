/**
 * Reads a value out of a provider answer by a definition's path: `$response.body.a.b[0].c`,
 * `$response.body[@odata.nextLink]` (a bracketed key may hold dots), `$response.headers.<name>`.
 * Own properties only, so a path never reaches into `Object.prototype`.
 * @module
 */

export interface Answer {
  headers: Headers;
  body: unknown;
}

/** The segments of `a.b[0][@odata.nextLink]`: `a`, `b`, `0`, `@odata.nextLink`. */
export function pathSegments(path: string): string[] {
  return [...path.matchAll(/\[([^\]]+)\]|[^.[\]]+/g)].map((m) => (m[1] ?? m[0]) as string);
}

/** Reads `a.b[0].c` from a value. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const segment of pathSegments(path)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The value at an answer path, or `undefined`. */
export function readAnswer(path: string, answer: Answer): unknown {
  const match = /^\$response\.(body|headers)(.*)$/.exec(path);
  if (!match) return undefined;
  const rest = (match[2] ?? '').replace(/^\./, '');
  if (match[1] === 'headers') return answer.headers.get(rest) ?? undefined;
  return rest === '' ? answer.body : readPath(answer.body, rest);
}
