/**
 * When a throttled provider answer is worth trying again, and after how long. A definition's
 * `rateLimit` names the statuses that mean "slow down" and the headers that say for how long
 * (`Retry-After` in seconds or as an HTTP date, or a reset header); `callProvider` waits that
 * long and tries again when the wait is short and fits the call's time, else hands the answer
 * back with the wait so a model can be told when to retry.
 *
 * Without a declaration, a 429 whose `Retry-After` is at most one second is tried once more:
 * RFC 6585 makes 429 mean "not processed", so a quick second try is safe and usually succeeds,
 * while longer waits are left to the caller, as before.
 * @module
 */
import { retryAfterMs } from '../http/retry-after.js';
import type { RateLimitDefinition } from '../integrations/definition.js';
import { type Answer, readAnswer } from './answer-path.js';

export interface RateLimitPolicy {
  statuses: readonly number[];
  retryAfterHeader: string;
  resetHeader: string | undefined;
  resetFormat: NonNullable<RateLimitDefinition['resetFormat']>;
  remainingHeader: string | undefined;
  exhaustedStatuses: readonly number[];
  /** A body value that marks an answer as throttled whatever its status. */
  bodyCode: { path: string; values: readonly string[] } | undefined;
  /** The first wait when a throttled answer names none; doubled on each retry. */
  backoffMs: number | undefined;
  maxRetries: number;
  maxWaitMs: number;
}

/** The longest wait a declared `rateLimit` retries after, unless it says otherwise. */
export const DEFAULT_MAX_WAIT_MS = 5000;

/** The behaviour of a definition that declares no `rateLimit`. */
export const UNDECLARED_RATE_LIMIT: RateLimitPolicy = {
  statuses: [429],
  retryAfterHeader: 'Retry-After',
  resetHeader: undefined,
  resetFormat: 'epoch_seconds',
  remainingHeader: undefined,
  exhaustedStatuses: [],
  bodyCode: undefined,
  backoffMs: undefined,
  maxRetries: 1,
  maxWaitMs: 1000,
};

/** A definition's declaration with the schema's defaults filled in. */
export function rateLimitPolicyOf(declared: RateLimitDefinition | undefined): RateLimitPolicy {
  if (!declared) return UNDECLARED_RATE_LIMIT;
  return {
    statuses: declared.statuses ?? [429],
    retryAfterHeader: declared.retryAfterHeader ?? 'Retry-After',
    resetHeader: declared.resetHeader,
    resetFormat: declared.resetFormat ?? 'epoch_seconds',
    remainingHeader: declared.remainingHeader,
    exhaustedStatuses: declared.exhaustedStatuses ?? [],
    bodyCode: declared.bodyCode,
    backoffMs: declared.backoffMs,
    maxRetries: declared.maxRetries ?? 2,
    maxWaitMs: declared.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
  };
}

const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

/** Time kept for the retried request itself, out of the call's remaining time. */
const RETRY_MARGIN_MS = 2000;

/**
 * The wait, in milliseconds, a throttled answer names (never negative), or `undefined` when it
 * names none (no header, or one that is not a number or a date).
 */
export function throttleWaitMs(
  policy: RateLimitPolicy,
  headers: Headers,
  now = Date.now(),
): number | undefined {
  const retryAfter = retryAfterMs(headers.get(policy.retryAfterHeader), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = policy.resetHeader === undefined ? null : headers.get(policy.resetHeader);
  if (reset === null) return undefined;
  if (policy.resetFormat === 'date') {
    // An HTTP date or ISO 8601 (Jira's `X-RateLimit-Reset: 2026-11-29T10:00:00Z`), never a bare number.
    const date = /[A-Za-z]/.test(reset) ? Date.parse(reset) : Number.NaN;
    return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
  }
  if (policy.resetFormat === 'ratelimit_header') {
    // `RateLimit: limit=100, remaining=0, reset=5`: reset is in seconds from now.
    const seconds = /(?:^|[;,\s])reset\s*=\s*(\d+(?:\.\d+)?)/i.exec(reset)?.[1];
    return seconds === undefined ? undefined : Math.ceil(Number(seconds) * 1000);
  }
  if (!NUMBER.test(reset)) return undefined;
  const value = Number(reset);
  switch (policy.resetFormat) {
    case 'seconds':
      return Math.ceil(value * 1000);
    case 'epoch_milliseconds':
      return Math.max(0, Math.ceil(value - now));
    default:
      return Math.max(0, Math.ceil(value * 1000 - now));
  }
}

/** A status that throttles only when the window is used up (GitHub's 403 with 0 remaining). */
function exhausted(policy: RateLimitPolicy, status: number, headers: Headers): boolean {
  if (!policy.exhaustedStatuses.includes(status) || policy.remainingHeader === undefined) return false;
  const remaining = headers.get(policy.remainingHeader);
  return remaining !== null && NUMBER.test(remaining) && Number(remaining) === 0;
}

/**
 * Google's 403 `userRateLimitExceeded` and Linear's GraphQL `RATELIMITED` share their status
 * with ordinary refusals; only the body tells them apart.
 */
function throttledByBody(policy: RateLimitPolicy, answer: Answer): boolean {
  if (policy.bodyCode === undefined) return false;
  const value = readAnswer(policy.bodyCode.path, answer);
  return typeof value === 'string' && policy.bodyCode.values.includes(value);
}

/** Whether an answer is a throttled one under the policy. */
function isThrottled(policy: RateLimitPolicy, answer: Answer & { status: number }): boolean {
  return (
    policy.statuses.includes(answer.status) ||
    exhausted(policy, answer.status, answer.headers) ||
    throttledByBody(policy, answer)
  );
}

export interface ThrottleDecision {
  /** The wait the answer named, or the backoff's when it named none and one is declared. */
  waitMs: number | undefined;
  /** Whether to wait that long and send the request again. */
  retry: boolean;
}

/**
 * What to do with an answer; `undefined` when it is not a throttled one.
 * @param retriesDone how many times this request was retried already.
 * @param remainingMs the time left of the call's timeout.
 */
export function throttleDecision(
  policy: RateLimitPolicy,
  answer: Answer & { status: number },
  retriesDone: number,
  remainingMs: number,
  now = Date.now(),
): ThrottleDecision | undefined {
  if (!isThrottled(policy, answer)) return undefined;
  const named = throttleWaitMs(policy, answer.headers, now);
  // Truncated exponential backoff (Google's advice) when the answer names no wait.
  const waitMs = named ?? (policy.backoffMs === undefined ? undefined : policy.backoffMs * 2 ** retriesDone);
  // The retried request needs time of its own: a wait that leaves less than that is handed back.
  const margin = Math.min(RETRY_MARGIN_MS, remainingMs / 2);
  const retry =
    waitMs !== undefined &&
    retriesDone < policy.maxRetries &&
    waitMs <= policy.maxWaitMs &&
    waitMs + margin < remainingMs;
  return { waitMs, retry };
}
