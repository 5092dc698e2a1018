import { describe, expect, it } from 'vitest';
import {
  normalizeOrigin,
  normalizePublicUrl,
  parseOAuthClients,
  parseTrustProxy,
  positiveInteger,
} from './config.js';
import { parseDatabaseUrl } from './db/database.js';

describe('configuration', () => {
  it('normalises origins and refuses anything but an origin', () => {
    expect(normalizeOrigin('https://App.Example.com/')).toBe('https://app.example.com');
    expect(normalizeOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    for (const bad of ['https://a.test/path', 'ftp://a.test', 'a.test', 'https://a.test?x=1']) {
      expect(() => normalizeOrigin(bad), bad).toThrow(expect.objectContaining({ code: 'invalid_config' }));
    }
  });

  it('normalises public URLs', () => {
    expect(normalizePublicUrl('https://x.test/truto/')).toBe('https://x.test/truto');
    expect(() => normalizePublicUrl('https://x.test/?a=1')).toThrow();
    expect(() => positiveInteger('ttl', 0, 1)).toThrow(/positive integer/);
    expect(positiveInteger('ttl', undefined, 600)).toBe(600);
  });

  it('reads database URLs', () => {
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({ kind: 'postgres', target: 'postgres://u@h/db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', target: ':memory:' });
    expect(parseDatabaseUrl('sqlite:/tmp/x.db').target).toBe('/tmp/x.db');
    expect(parseDatabaseUrl('data/x.db').target).toMatch(/\/data\/x\.db$/);
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/unsupported/);
  });

  it('reads OAuth client credentials from JSON, refusing incomplete ones', () => {
    expect(parseOAuthClients('{"salesforce":{"clientId":"a","clientSecret":"b"}}')).toEqual({
      salesforce: { clientId: 'a', clientSecret: 'b' },
    });
    expect(() => parseOAuthClients('{"salesforce":{"clientId":"a"}}')).toThrow(/salesforce needs/);
    expect(() => parseOAuthClients('[1]')).toThrow(/object/);
    expect(() => parseOAuthClients('{')).toThrow(/must be JSON/);
  });

  it('reads --trust-proxy as Express does: true/false, a hop count, or addresses', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => parseTrustProxy('')).toThrow(/trust proxy/);
    expect(() => parseTrustProxy('10.0.0.1,,')).toThrow(/trust proxy/);
  });
});
