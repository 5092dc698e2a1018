import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from './credential-cipher.js';
import { loadOrCreateKeyFile, parseSecretKeys } from './secret-key.js';

describe('parseSecretKeys', () => {
  const raw = Buffer.alloc(32, 9);
  it('reads base64 and hex keys, with or without ids, first one active', () => {
    const keys = parseSecretKeys(`new:${raw.toString('hex')}, ${Buffer.alloc(32, 3).toString('base64')}`);
    expect(keys.map((k) => k.id)).toEqual(['new', keyIdOf(Buffer.alloc(32, 3))]);
    expect(keys[0]?.key.equals(raw)).toBe(true);
  });

  it('refuses keys that are not 32 bytes, bad ids, and emptiness', () => {
    expect(() => parseSecretKeys('c2hvcnQ=')).toThrow(expect.objectContaining({ code: 'invalid_config' }));
    expect(() => parseSecretKeys(`bad id:${raw.toString('hex')}`)).toThrow(/key id/);
    expect(() => parseSecretKeys(' , ')).toThrow(/empty/);
  });
});

describe('loadOrCreateKeyFile', () => {
  it('generates a 0600 key file once and reads it afterwards', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'truto-key-')), 'nested', 'secret.key');
    const first = loadOrCreateKeyFile(file);
    expect(first.generatedFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const second = loadOrCreateKeyFile(file);
    expect(second.generatedFile).toBeUndefined();
    expect(second.keys[0]?.key.equals(first.keys[0]?.key as Buffer)).toBe(true);
  });
});
