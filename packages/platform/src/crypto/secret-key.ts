/**
 * Where the credentials key comes from: `TRUTO_SECRET_KEY` (one or more comma-separated keys,
 * each 32 bytes in base64 or hex, optionally `id:key`; the first seals new data), or, for the
 * embedded default only, a key file generated next to the database on first start.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { keyIdOf, type SecretKey } from './credential-cipher.js';

function decodeKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('TRUTO_SECRET_KEY: each key must be 32 bytes, in base64 or hex');
  }
  return key;
}

/** Parses `TRUTO_SECRET_KEY`: `key[,key…]` or `id:key[,id:key…]`. */
export function parseSecretKeys(value: string): SecretKey[] {
  const keys = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      const id = colon > 0 ? part.slice(0, colon) : undefined;
      const key = decodeKey(colon > 0 ? part.slice(colon + 1) : part);
      if (id !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new ConfigError(`TRUTO_SECRET_KEY: key id "${id}" must be 1-32 of A-Z a-z 0-9 _ -`);
      }
      return { id: id ?? keyIdOf(key), key };
    });
  if (keys.length === 0) throw new ConfigError('TRUTO_SECRET_KEY is empty');
  return keys;
}

export interface LoadedKeys {
  keys: SecretKey[];
  /** Set when a key file was generated during this call. */
  generatedFile?: string;
}

/** Reads the key file, generating it (mode 0600) when it does not exist yet. */
export function loadOrCreateKeyFile(path: string): LoadedKeys {
  if (existsSync(path)) return { keys: parseSecretKeys(readFileSync(path, 'utf8')) };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // `wx`: never overwrite a key another process wrote meanwhile; 0600 before any byte is written.
  writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { keys: parseSecretKeys(readFileSync(path, 'utf8')), generatedFile: path };
}
