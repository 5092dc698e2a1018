import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCipher, keyIdOf } from '../crypto/credential-cipher.js';
import { openDatabase, type PlatformDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { RESULT_TYPE, signConnectResult } from './connect-result.js';
import { SigningKeys } from './signing-keys.js';

const key = Buffer.alloc(32, 5);
const cipher = new CredentialCipher([{ id: keyIdOf(key), key }]);
const claims = {
  tenantId: 'ten_1',
  integratedAccountId: 'acc_1',
  integration: 'acmehr',
  externalId: 'user-1',
  status: 'active',
};

describe('signing keys and signed results', () => {
  let database: PlatformDatabase;
  let now: Date;
  beforeEach(async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database.db);
    now = new Date('2026-11-28T12:00:00Z');
  });
  afterEach(async () => database.close());

  const keysAt = () => new SigningKeys(database.db, cipher, 3600, () => now);

  it('signs results that jose verifies against the JWKS, with the claims the flow promises', async () => {
    const keys = keysAt();
    const jwt = await signConnectResult(keys, 'https://connect.acme.test', claims);
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'ES256', typ: RESULT_TYPE });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(await keys.jwks()), {
      issuer: 'https://connect.acme.test',
      audience: 'ten_1',
      typ: RESULT_TYPE,
    });
    expect(payload).toMatchObject({
      sub: 'acc_1',
      integration: 'acmehr',
      external_id: 'user-1',
      status: 'active',
    });
    expect(typeof payload.jti).toBe('string');
    await expect(
      jwtVerify(jwt, createLocalJWKSet(await keys.jwks()), {
        issuer: 'https://connect.acme.test',
        audience: 'ten_2',
      }),
    ).rejects.toThrow();
  });

  it('generates one key once, stores its private half sealed, and every instance signs with it', async () => {
    const first = await keysAt().current();
    const second = await keysAt().current();
    expect(second.kid).toBe(first.kid);
    const rows = await database.db.selectFrom('signing_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.private_jwk).toMatch(/^v1\./);
    expect(rows[0]?.public_jwk).not.toContain('"d"');
  });

  it('keeps a retired key in the JWKS until its results have expired', async () => {
    const keys = keysAt();
    const old = await keys.current();
    const jwt = await signConnectResult(keys, 'https://i.test', claims);
    const next = await keys.rotate();
    expect((await keys.current()).kid).toBe(next);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([old.kid, next]);
    await jwtVerify(jwt, createLocalJWKSet(await keys.jwks()), { currentDate: now });
    now = new Date(now.getTime() + 3601_000);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([next]);
  });
});
