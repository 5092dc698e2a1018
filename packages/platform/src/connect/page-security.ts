/**
 * Headers of the connect pages: a fresh CSP nonce per response and no `unsafe-inline`,
 * `frame-ancestors` limited to the tenant's origins, no referrer, and an explicit COOP that
 * keeps the opener link (the widget listens to it). CSRF tokens for the forms are HMACs of the
 * link token, so they need no cookie (cookies are unreliable in a third-party iframe).
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Where a page may be framed, and where its forms may lead besides our own origin. */
export interface PagePolicy {
  frameAncestors: readonly string[];
  /**
   * Origins a form's answer may redirect to. Browsers apply `form-action` to the redirects
   * after a submission too, so a form that ends in a 303 to the app's `redirectUri` needs that
   * exact origin here.
   */
  formTargets?: readonly string[];
}

export function setPageHeaders(res: Response, nonce: string, policy: PagePolicy): void {
  const ancestors = policy.frameAncestors.length ? policy.frameAncestors.join(' ') : "'none'";
  const formTargets = ["'self'", ...(policy.formTargets ?? [])].join(' ');
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "connect-src 'self'",
      `form-action ${formTargets}`,
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'unsafe-none',
    'Cache-Control': 'no-store',
  });
}

/**
 * Sends one connect page: a fresh nonce, the headers above, and the HTML `render` builds with
 * that nonce. Every page goes through here.
 */
export function sendPage(
  res: Response,
  status: number,
  policy: PagePolicy,
  render: (nonce: string) => string,
): void {
  const nonce = newNonce();
  setPageHeaders(res, nonce, policy);
  res.status(status).send(render(nonce));
}

export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  /** The form token for a link token (by its hash). */
  create(linkTokenHash: string): string {
    return createHmac('sha256', this.key).update(`csrf:${linkTokenHash}`).digest('base64url');
  }

  verify(linkTokenHash: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.create(linkTokenHash));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
