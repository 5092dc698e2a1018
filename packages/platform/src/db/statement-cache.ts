/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as much as running
 * a small statement. This wrapper hands Kysely cached better-sqlite3 statements instead,
 * keyed by SQL text, in a bounded least-recently-used map. Safe because Kysely runs each
 * statement to completion synchronously (the platform never streams SQLite results).
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export const STATEMENT_CACHE_SIZE = 256;

export function withStatementCache(db: Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
