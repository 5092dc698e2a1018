import { describe, expect, it } from 'vitest';
import { CredentialCipher, CredentialDecryptionError, keyIdOf } from './credential-cipher.js';

const key = (fill: number) => {
  const k = Buffer.alloc(32, fill);
  return { id: keyIdOf(k), key: k };
};

describe('CredentialCipher', () => {
  it('round-trips and never shows the plaintext', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.sealJson({ api_key: 'top-secret' }, 'acc_1');
    expect(sealed).not.toContain('top-secret');
    expect(sealed.startsWith(`v1.${key(1).id}.`)).toBe(true);
    expect(cipher.openJson(sealed, 'acc_1')).toEqual({ api_key: 'top-secret' });
  });

  it('uses a fresh IV each time', () => {
    const cipher = new CredentialCipher([key(1)]);
    expect(cipher.seal('x', 'a')).not.toBe(cipher.seal('x', 'a'));
  });

  it('binds the ciphertext to its row', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.seal('x', 'acc_1');
    expect(() => cipher.open(sealed, 'acc_2')).toThrow(CredentialDecryptionError);
  });

  it('detects tampering', () => {
    const cipher = new CredentialCipher([key(1)]);
    const parts = cipher.seal('hello', 'a').split('.');
    const data = Buffer.from(parts[3] as string, 'base64url');
    data[0] = (data[0] as number) ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => cipher.open(parts.join('.'), 'a')).toThrow(
      expect.objectContaining({ code: 'credential_decryption_failed' }),
    );
  });

  it('rotates: new data under the first key, old data still opens', () => {
    const old = new CredentialCipher([key(1)]);
    const sealedOld = old.seal('old', 'a');
    const rotated = new CredentialCipher([key(2), key(1)]);
    expect(rotated.open(sealedOld, 'a')).toBe('old');
    expect(rotated.seal('new', 'a').split('.')[1]).toBe(key(2).id);
    const without = new CredentialCipher([key(2)]);
    expect(() => without.open(sealedOld, 'a')).toThrow(/not in the key ring/);
  });

  it('refuses an empty ring or a short key', () => {
    expect(() => new CredentialCipher([])).toThrow(expect.objectContaining({ code: 'invalid_config' }));
    expect(() => new CredentialCipher([{ id: 'k', key: Buffer.alloc(16) }])).toThrow(/32 bytes/);
  });
});
