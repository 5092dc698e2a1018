/**
 * Random secrets (API tokens, link tokens, MCP secrets) and their at-rest hashes.
 * Secrets carry a readable prefix (so a leaked one can be recognised by scanners) and
 * 256 bits of randomness; only their SHA-256 hash is stored.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIXES = {
  apiToken: 'tc_api_',
  linkToken: 'tc_link_',
  mcpSecret: 'tc_mcp_',
} as const;

/** A new secret: `prefix` followed by 32 random bytes in base64url (256 bits). */
export function generateSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** The hex SHA-256 of a secret, the only form in which secrets are stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A random, URL-safe identifier with a type prefix (`acc_…`), not a secret. */
export function generateId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
