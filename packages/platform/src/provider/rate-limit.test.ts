import { describe, expect, it } from 'vitest';
import { rateLimitPolicyOf, throttleDecision, throttleWaitMs, UNDECLARED_RATE_LIMIT } from './rate-limit.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const h = (headers: Record<string, string>) => new Headers(headers);
const a = (status: number, headers: Headers, body?: unknown) => ({ status, headers, body });

describe('rateLimitPolicyOf', () => {
  it('fills the schema defaults, and has a cautious policy for definitions that declare none', () => {
    expect(rateLimitPolicyOf({})).toEqual({
      statuses: [429],
      retryAfterHeader: 'Retry-After',
      resetHeader: undefined,
      resetFormat: 'epoch_seconds',
      remainingHeader: undefined,
      exhaustedStatuses: [],
      bodyCode: undefined,
      backoffMs: undefined,
      maxRetries: 2,
      maxWaitMs: 5000,
    });
    expect(rateLimitPolicyOf(undefined)).toBe(UNDECLARED_RATE_LIMIT);
    expect(UNDECLARED_RATE_LIMIT).toMatchObject({ statuses: [429], maxRetries: 1, maxWaitMs: 1000 });
  });
});

describe('throttleWaitMs', () => {
  const policy = rateLimitPolicyOf({ resetHeader: 'X-RateLimit-Reset' });

  it('reads Retry-After in seconds (also decimal) or as an HTTP date', () => {
    expect(throttleWaitMs(policy, h({ 'Retry-After': '3' }), NOW)).toBe(3000);
    expect(throttleWaitMs(policy, h({ 'Retry-After': '0.25' }), NOW)).toBe(250);
    expect(throttleWaitMs(policy, h({ 'Retry-After': 'Sun, 29 Nov 2026 12:00:10 GMT' }), NOW)).toBe(10_000);
    // A date already past means now.
    expect(throttleWaitMs(policy, h({ 'Retry-After': 'Sun, 29 Nov 2026 11:00:00 GMT' }), NOW)).toBe(0);
  });

  it('falls back to the reset header in its format when Retry-After is absent or unreadable', () => {
    const epochSeconds = String(NOW / 1000 + 7);
    expect(throttleWaitMs(policy, h({ 'X-RateLimit-Reset': epochSeconds }), NOW)).toBe(7000);
    expect(throttleWaitMs(policy, h({ 'Retry-After': 'soon', 'X-RateLimit-Reset': epochSeconds }), NOW)).toBe(
      7000,
    );
    const seconds = rateLimitPolicyOf({ resetHeader: 'RateLimit-Reset', resetFormat: 'seconds' });
    expect(throttleWaitMs(seconds, h({ 'RateLimit-Reset': '12' }), NOW)).toBe(12_000);
    const millis = rateLimitPolicyOf({ resetHeader: 'X-Reset', resetFormat: 'epoch_milliseconds' });
    expect(throttleWaitMs(millis, h({ 'X-Reset': String(NOW + 40) }), NOW)).toBe(40);
    expect(throttleWaitMs(millis, h({ 'X-Reset': String(NOW - 40) }), NOW)).toBe(0);
  });

  it('names no wait without a usable header; a custom Retry-After header name is honoured', () => {
    expect(throttleWaitMs(policy, h({}), NOW)).toBeUndefined();
    expect(throttleWaitMs(policy, h({ 'Retry-After': 'later' }), NOW)).toBeUndefined();
    expect(throttleWaitMs(policy, h({ 'Retry-After': '-1' }), NOW)).toBeUndefined();
    expect(throttleWaitMs(policy, h({ 'X-RateLimit-Reset': 'x' }), NOW)).toBeUndefined();
    const custom = rateLimitPolicyOf({ retryAfterHeader: 'X-Retry-In' });
    expect(throttleWaitMs(custom, h({ 'X-Retry-In': '2', 'Retry-After': '9' }), NOW)).toBe(2000);
  });
});

describe('reset formats of other providers', () => {
  it('reads an ISO 8601 or HTTP date reset (Jira), never a bare number as a date', () => {
    const policy = rateLimitPolicyOf({ resetHeader: 'X-RateLimit-Reset', resetFormat: 'date' });
    expect(throttleWaitMs(policy, h({ 'X-RateLimit-Reset': '2026-11-29T12:00:04Z' }), NOW)).toBe(4000);
    expect(throttleWaitMs(policy, h({ 'X-RateLimit-Reset': 'Sun, 29 Nov 2026 12:00:02 GMT' }), NOW)).toBe(
      2000,
    );
    expect(throttleWaitMs(policy, h({ 'X-RateLimit-Reset': '2026' }), NOW)).toBeUndefined();
  });

  it('reads reset from the structured RateLimit header (Close)', () => {
    const policy = rateLimitPolicyOf({ resetHeader: 'RateLimit', resetFormat: 'ratelimit_header' });
    expect(throttleWaitMs(policy, h({ RateLimit: 'limit=100, remaining=0, reset=5' }), NOW)).toBe(5000);
    expect(throttleWaitMs(policy, h({ RateLimit: 'limit=100, remaining=0, reset=0.5' }), NOW)).toBe(500);
    expect(throttleWaitMs(policy, h({ RateLimit: 'limit=100, remaining=0' }), NOW)).toBeUndefined();
  });

  it('treats an exhausted-only status as throttling only when nothing remains (GitHub 403)', () => {
    const policy = rateLimitPolicyOf({
      exhaustedStatuses: [403],
      remainingHeader: 'X-RateLimit-Remaining',
      resetHeader: 'X-RateLimit-Reset',
      resetFormat: 'epoch_seconds',
    });
    const reset = String(NOW / 1000 + 2);
    const used = h({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset });
    expect(throttleDecision(policy, a(403, used), 0, 10_000, NOW)).toEqual({ waitMs: 2000, retry: true });
    // A 403 with requests left is a refusal (no permission), never retried.
    const left = h({ 'X-RateLimit-Remaining': '12', 'X-RateLimit-Reset': reset });
    expect(throttleDecision(policy, a(403, left), 0, 10_000, NOW)).toBeUndefined();
    expect(throttleDecision(policy, a(403, h({})), 0, 10_000, NOW)).toBeUndefined();
  });
});

describe('throttleDecision', () => {
  const policy = rateLimitPolicyOf({ statuses: [429, 503], maxRetries: 2, maxWaitMs: 5000 });
  const wait = (s: string) => h({ 'Retry-After': s });

  it('ignores statuses that are not throttling', () => {
    expect(throttleDecision(policy, a(200, wait('1')), 0, 10_000, NOW)).toBeUndefined();
    expect(throttleDecision(policy, a(500, wait('1')), 0, 10_000, NOW)).toBeUndefined();
  });

  it('retries a short wait within the call’s time, up to maxRetries', () => {
    expect(throttleDecision(policy, a(429, wait('1')), 0, 10_000, NOW)).toEqual({
      waitMs: 1000,
      retry: true,
    });
    expect(throttleDecision(policy, a(503, wait('1')), 1, 10_000, NOW)).toEqual({
      waitMs: 1000,
      retry: true,
    });
    expect(throttleDecision(policy, a(429, wait('1')), 2, 10_000, NOW)).toEqual({
      waitMs: 1000,
      retry: false,
    });
  });

  it('does not retry a wait over maxWaitMs, one that does not fit the time left, or no wait at all', () => {
    expect(throttleDecision(policy, a(429, wait('6')), 0, 60_000, NOW)).toEqual({
      waitMs: 6000,
      retry: false,
    });
    expect(throttleDecision(policy, a(429, wait('3')), 0, 2500, NOW)).toEqual({ waitMs: 3000, retry: false });
    expect(throttleDecision(policy, a(429, h({})), 0, 10_000, NOW)).toEqual({
      waitMs: undefined,
      retry: false,
    });
    const never = rateLimitPolicyOf({ maxRetries: 0 });
    expect(throttleDecision(never, a(429, wait('0')), 0, 10_000, NOW)).toEqual({ waitMs: 0, retry: false });
  });
});

describe('throttling told by the body, and backoff when no wait is named', () => {
  // Google Drive: a 403 whose reason is a rate limit, beside 403s that are refusals.
  const google = rateLimitPolicyOf({
    statuses: [429],
    bodyCode: {
      path: '$response.body.error.errors[0].reason',
      values: ['rateLimitExceeded', 'userRateLimitExceeded'],
    },
    backoffMs: 1000,
    maxRetries: 3,
    maxWaitMs: 4000,
  });
  const reason = (r: string) => ({ error: { code: 403, errors: [{ domain: 'usageLimits', reason: r }] } });

  it('throttles an answer whose body names a declared code, whatever its status, and no other', () => {
    expect(throttleDecision(google, a(403, h({}), reason('userRateLimitExceeded')), 0, 60_000, NOW)).toEqual({
      waitMs: 1000,
      retry: true,
    });
    expect(
      throttleDecision(google, a(403, h({}), reason('insufficientFilePermissions')), 0, 60_000, NOW),
    ).toBe(undefined);
    expect(throttleDecision(google, a(403, h({}), 'not json'), 0, 60_000, NOW)).toBeUndefined();
    expect(
      throttleDecision(google, a(403, h({}), { error: { errors: [{ reason: 7 }] } }), 0, 60_000, NOW),
    ).toBe(undefined);
  });

  it('doubles the backoff on each retry, within maxRetries and maxWaitMs; a named wait wins', () => {
    const throttled = a(429, h({}));
    expect(throttleDecision(google, throttled, 1, 60_000, NOW)).toEqual({ waitMs: 2000, retry: true });
    expect(throttleDecision(google, throttled, 2, 60_000, NOW)).toEqual({ waitMs: 4000, retry: true });
    expect(throttleDecision(google, throttled, 3, 60_000, NOW)).toEqual({ waitMs: 8000, retry: false });
    expect(throttleDecision(google, throttled, 0, 500, NOW)).toEqual({ waitMs: 1000, retry: false });
    expect(throttleDecision(google, a(429, h({ 'Retry-After': '3' })), 2, 60_000, NOW)).toEqual({
      waitMs: 3000,
      retry: true,
    });
  });

  it('reads a GraphQL error code (Linear RATELIMITED) at any status', () => {
    const linear = rateLimitPolicyOf({
      bodyCode: { path: '$response.body.errors[0].extensions.code', values: ['RATELIMITED'] },
      resetHeader: 'X-RateLimit-Requests-Reset',
      resetFormat: 'epoch_milliseconds',
    });
    const body = { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] };
    const reset = h({ 'X-RateLimit-Requests-Reset': String(NOW + 1500) });
    expect(throttleDecision(linear, a(400, reset, body), 0, 60_000, NOW)).toEqual({
      waitMs: 1500,
      retry: true,
    });
    expect(throttleDecision(linear, a(200, reset, body), 0, 60_000, NOW)).toEqual({
      waitMs: 1500,
      retry: true,
    });
    const other = { errors: [{ message: 'bad', extensions: { code: 'INVALID_INPUT' } }] };
    expect(throttleDecision(linear, a(400, reset, other), 0, 60_000, NOW)).toBeUndefined();
  });
});
