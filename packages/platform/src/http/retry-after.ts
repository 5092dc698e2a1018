/**
 * Reads an HTTP `Retry-After` value (RFC 9110: delay seconds or an HTTP date) as a wait in
 * milliseconds. One reading for both places that honour it: throttled provider answers and
 * webhook receivers that ask us to slow down.
 * @module
 */

const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

/** The wait `value` names (never negative), or `undefined` when it names none. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (NUMBER.test(value)) return Math.ceil(Number(value) * 1000);
  // An HTTP date names its day and zone in letters; `Date.parse` would also take "-1" as a year.
  const date = /[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
