/**
 * Opens the database named by a URL: a SQLite file (path, `sqlite:path` or `file:path`) through
 * better-sqlite3 as the embedded default, or PostgreSQL (`postgres://…`) through `pg`.
 * @module
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { ConfigError } from '../errors.js';
import type { DatabaseSchema } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface PlatformDatabase {
  kind: DatabaseKind;
  db: Kysely<DatabaseSchema>;
  /** The SQLite file, when the database is one; its folder holds the embedded key file. */
  sqliteFile?: string;
  /** Answers whether the database responds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseLocation {
  kind: DatabaseKind;
  /** A file path or `:memory:` for SQLite; the connection string for PostgreSQL. */
  target: string;
}

export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', target: url };
  const path = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  if (path === '') throw new ConfigError('the database URL names no SQLite file');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new ConfigError(`unsupported database URL scheme in "${url.split('://')[0]}://…"`);
  }
  return { kind: 'sqlite', target: path === ':memory:' ? path : resolve(path) };
}

/** PostgreSQL pool size per process; the scale story is many small processes. */
const PG_POOL_SIZE = 10;

export interface OpenDatabaseOptions {
  /** Told of errors of idle PostgreSQL connections (a restart, a dropped socket). */
  onIdleError?: (error: Error) => void;
}

export function openDatabase(url: string, options: OpenDatabaseOptions = {}): PlatformDatabase {
  const location = parseDatabaseUrl(url);
  if (location.kind === 'postgres') {
    // BIGINT counts come back as strings by default; ours stay far below 2^53.
    pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
    const pool = new pg.Pool({ connectionString: location.target, max: PG_POOL_SIZE });
    // Without a listener, an idle connection's error would be thrown and end the process;
    // the pool replaces the connection by itself.
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      ping: () => ping(db),
      close: () => db.destroy(),
    };
  }

  if (location.target !== ':memory:') createOwnerOnly(location.target);
  const sqlite = new Database(location.target);
  sqlite.pragma('journal_mode = WAL');
  if (location.target !== ':memory:') restrictSidecars(location.target);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<DatabaseSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    kind: 'sqlite',
    db,
    ...(location.target === ':memory:' ? {} : { sqliteFile: location.target }),
    ping: () => ping(db),
    close: () => db.destroy(),
  };
}

/** Owner-only: the database holds sealed credentials, token hashes and the signing keys. */
const OWNER_ONLY = 0o600;

/**
 * Creates the SQLite file owner-only before SQLite opens it (SQLite would create it 0644 under
 * the usual umask), and tightens a file that already exists. SQLite gives the `-wal` and `-shm`
 * files the database file's mode.
 */
function createOwnerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (existsSync(file)) chmodSync(file, OWNER_ONLY);
  else closeSync(openSync(file, 'a', OWNER_ONLY));
  // openSync's mode passes through the umask, which can only remove bits; say it exactly.
  chmodSync(file, OWNER_ONLY);
}

/** The `-wal`/`-shm` files that exist once WAL is on; files from an older run may be wider. */
function restrictSidecars(file: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) chmodSync(file + suffix, OWNER_ONLY);
  }
}

async function ping(db: Kysely<DatabaseSchema>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
