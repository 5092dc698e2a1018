/**
 * Encrypts credentials at rest with AES-256-GCM. Each ciphertext names the key that made it
 * (`v1.<keyId>.<iv>.<data+tag>`), so keys can rotate: new data is sealed with the active key,
 * and any key in the ring still opens what it sealed. The account id is bound in as
 * additional authenticated data, so a ciphertext moved to another row does not open.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError, CredentialDecryptionError } from '../errors.js';

export interface SecretKey {
  id: string;
  key: Buffer;
}

export { CredentialDecryptionError };

const VERSION = 'v1';

/** The key id of a raw key: a short hash, stable and not revealing the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export class CredentialCipher {
  readonly #active: SecretKey;
  readonly #keys: Map<string, Buffer>;

  /** @param keys the key ring; the first key seals new data. */
  constructor(keys: readonly SecretKey[]) {
    const [active] = keys;
    if (!active) throw new ConfigError('at least one credentials key is required');
    for (const k of keys) {
      if (k.key.length !== 32) throw new ConfigError(`key ${k.id} must be 32 bytes`);
    }
    this.#active = active;
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  get activeKeyId(): string {
    return this.#active.id;
  }

  /** A key for another purpose (CSRF tokens), derived from the active key with HKDF. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#active.key, Buffer.alloc(0), `truto-connect ${purpose}`, 32));
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#active.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.#active.id, iv.toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string, boundTo: string): string {
    const [version, keyId, ivText, dataText] = sealed.split('.');
    if (version !== VERSION || !keyId || !ivText || !dataText) {
      throw new CredentialDecryptionError('ciphertext is not in a known format');
    }
    const key = this.#keys.get(keyId);
    if (!key) throw new CredentialDecryptionError(`key ${keyId} is not in the key ring`);
    const data = Buffer.from(dataText, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new CredentialDecryptionError('ciphertext does not authenticate', { cause });
    }
  }

  sealJson(value: unknown, boundTo: string): string {
    return this.seal(JSON.stringify(value), boundTo);
  }

  openJson<T>(sealed: string, boundTo: string): T {
    return JSON.parse(this.open(sealed, boundTo)) as T;
  }
}
