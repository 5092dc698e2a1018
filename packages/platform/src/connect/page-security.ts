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

export function setPageHeaders(res: Response, nonce: string, frameAncestors: readonly string[]): void {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
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
  frameAncestors: readonly string[],
  render: (nonce: string) => string,
): void {
  const nonce = newNonce();
  setPageHeaders(res, nonce, frameAncestors);
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
