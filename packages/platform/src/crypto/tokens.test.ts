import { describe, expect, it } from 'vitest';
import { generateSecret, hashesEqual, hashSecret, TOKEN_PREFIXES } from './tokens.js';

describe('secrets', () => {
  it('carry a prefix and 256 bits of randomness', () => {
    const secret = generateSecret(TOKEN_PREFIXES.mcpSecret);
    expect(secret.startsWith('tc_mcp_')).toBe(true);
    expect(Buffer.from(secret.slice('tc_mcp_'.length), 'base64url')).toHaveLength(32);
    expect(generateSecret('p_')).not.toBe(generateSecret('p_'));
  });

  it('are stored as SHA-256 and compared in constant time', () => {
    const hash = hashSecret('abc');
    expect(hash).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashesEqual(hash, hashSecret('abc'))).toBe(true);
    expect(hashesEqual(hash, hashSecret('abd'))).toBe(false);
    expect(hashesEqual(hash, 'ab')).toBe(false);
  });
});
