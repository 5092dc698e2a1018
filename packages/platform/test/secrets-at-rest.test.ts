/**
 * Defect 6: nothing secret lies readable at rest. The OAuth state row holds the flow (with its
 * raw link token) only sealed, on SQLite and PostgreSQL; the SQLite file, its WAL and
 * shared-memory files and the generated key file are owner-only.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher, keyIdOf } from '../src/crypto/credential-cipher.js';
import { generateSecret, hashSecret, TOKEN_PREFIXES } from '../src/crypto/tokens.js';
import { openDatabase, type PlatformDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createPlatform } from '../src/platform.js';
import { OAuthStateStore } from '../src/store/oauth-states.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.js';

const key = Buffer.alloc(32, 5);
const cipher = new CredentialCipher([{ id: keyIdOf(key), key }]);

describe.each(DATABASE_KINDS)('OAuth states at rest on %s', (kind) => {
  let test: TestDatabase;
  let database: PlatformDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    database = openDatabase(test.url);
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await test?.dispose();
  });

  it('stores the flow and its link token sealed, and gives them back once', async () => {
    const store = new OAuthStateStore(database.db, cipher);
    const linkToken = generateSecret(TOKEN_PREFIXES.linkToken);
    const state = 'state-value-that-the-provider-echoes';
    const flow = { link_token: linkToken, mode: 'popup', nonce: 'n-1', fields: { subdomain: 'acme' } };
    await store.save(
      state,
      { linkTokenHash: hashSecret(linkToken), codeVerifier: 'verifier-123', flow },
      new Date(Date.now() + 60_000),
    );
    const rows = await database.db.selectFrom('oauth_states').selectAll().execute();
    const raw = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    expect(raw).not.toContain(linkToken);
    expect(raw).not.toContain(linkToken.slice(TOKEN_PREFIXES.linkToken.length));
    expect(raw).not.toContain('verifier-123');
    expect(raw).not.toContain(state);
    expect(raw).not.toContain('acme');
    const taken = await store.take<typeof flow>(state);
    expect(taken?.flow).toEqual(flow);
    expect(taken?.codeVerifier).toBe('verifier-123');
    expect(await store.take(state)).toBeUndefined();
  });
});

describe('the embedded SQLite files', () => {
  it('are owner-only: database, -wal, -shm and the generated key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truto-modes-'));
    const file = join(dir, 'data', 'truto.sqlite');
    const platform = await createPlatform({ database: `sqlite:${file}`, logger: pino({ level: 'silent' }) });
    try {
      // Writes, so the WAL and shared-memory files exist and hold data.
      const { tenant } = await platform.tenants.create({ name: 'Modes', allowedOrigins: [] });
      await platform.stores.linkTokens.create({
        tenantId: tenant.id,
        integration: 'bamboohr',
        externalId: null,
        redirectUri: null,
        scopes: null,
        metadata: {},
        integratedAccountId: null,
        expiresAt: new Date(Date.now() + 60_000),
      });
      for (const path of [file, `${file}-wal`, `${file}-shm`, join(dir, 'data', 'secret.key')]) {
        expect(statSync(path).mode & 0o777, path).toBe(0o600);
      }
      expect(statSync(join(dir, 'data')).mode & 0o077).toBe(0);
    } finally {
      await platform.close();
    }
  });
});
