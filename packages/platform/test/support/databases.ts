/**
 * Fresh databases for tests: a temporary SQLite file, or a new database on the run's
 * PostgreSQL server. Suites use `DATABASE_KINDS` to run once on each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseKind } from '../../src/db/database.js';

export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

/** A key ring for tests: 32 bytes in base64. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestDatabase {
  url: string;
  dispose(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'truto-sqlite-'));
    return {
      url: `sqlite:${join(dir, 'test.sqlite')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async dispose() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        // Connections of a pool that was just ended may take a moment to go away.
        for (let attempt = 0; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (error) {
            if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      } finally {
        await client.end();
      }
    },
  };
}
