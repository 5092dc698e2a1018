/**
 * How deep a parsed JSON value nests. `JSON.parse` takes any depth, but the recursive code after
 * it (ajv, `JSON.stringify`, the stores) overflows the stack on a body nested thousands deep,
 * so bodies are measured first, iteratively, and refused past a bound.
 * @module
 */

/** Deeper than any real `metadata` or credentials object needs. */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` has objects or arrays nested more than `max` levels deep. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(item)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}
