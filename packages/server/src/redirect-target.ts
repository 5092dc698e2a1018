/**
 * Where `/callback` sends the browser: a path on this app, or a URL on an allow-listed origin.
 * The targets are fixed at creation, so nothing from the request can choose them; the checks
 * here refuse the forms browsers read as another host (`//evil.com`, `/\evil.com`) even in
 * configuration, so a typo cannot become an open redirect.
 * @module
 */

/** Validates one configured target; returns it unchanged. Throws a TypeError naming `option`. */
export function checkRedirectTarget(
  value: unknown,
  option: string,
  allowedOrigins: readonly string[],
): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${option} must be a non-empty string`);
  // Control characters and backslashes are read by browsers in ways that skip these checks.
  if (value.includes('\\') || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new TypeError(`${option} must not contain backslashes or control characters`);
  }
  if (value.startsWith('/')) {
    if (value.startsWith('//')) throw new TypeError(`${option} must be a path on this app, not "//host"`);
    return value;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${option} must be a path starting with "/" or an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${option} must be an http(s) URL`);
  }
  if (url.username || url.password) throw new TypeError(`${option} must not carry user information`);
  if (!allowedOrigins.includes(url.origin)) {
    throw new TypeError(
      `${option} is on ${url.origin}, which is not an allowed origin (redirect.allowedOrigins)`,
    );
  }
  return value;
}

/** The target with the outcome added to its query (keeping any query it has). */
export function redirectWithOutcome(target: string, outcome: Record<string, string>): string {
  const relative = target.startsWith('/');
  const url = new URL(target, 'http://relative.invalid');
  for (const [key, value] of Object.entries(outcome)) url.searchParams.set(key, value);
  return relative ? url.pathname + url.search + url.hash : url.href;
}
