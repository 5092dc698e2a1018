/**
 * The app's own record of its users' connections, in an embedded SQLite file so it survives a
 * restart. Rows come from two places: `onConnected` (the helper verified a connect result) and
 * webhooks (the platform says an account changed: post-install finished, a refresh failed, it
 * was deleted). The app never stores credentials: the platform keeps those.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * @typedef {object} StoredConnection
 * @property {string} integratedAccountId
 * @property {string} externalId the app's user
 * @property {string} integration
 * @property {string} status `active`, `error`, ...
 * @property {string | null} statusReason
 * @property {Record<string, unknown>} context what post-install actions read (Acme HR: the company)
 * @property {string} connectedAt
 * @property {string} updatedAt
 */

/**
 * @typedef {object} StoredEvent
 * @property {string} id
 * @property {string} type
 * @property {string} integratedAccountId
 * @property {string} receivedAt
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS connections (
  integrated_account_id TEXT PRIMARY KEY,
  external_id TEXT NOT NULL,
  integration TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT,
  context TEXT NOT NULL DEFAULT '{}',
  connected_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS connections_by_user ON connections (external_id);
CREATE TABLE IF NOT EXISTS webhook_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  integrated_account_id TEXT NOT NULL,
  external_id TEXT,
  received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** @param {any} row @returns {StoredConnection} */
function toConnection(row) {
  return {
    integratedAccountId: row.integrated_account_id,
    externalId: row.external_id,
    integration: row.integration,
    status: row.status,
    statusReason: row.status_reason,
    context: JSON.parse(row.context),
    connectedAt: row.connected_at,
    updatedAt: row.updated_at,
  };
}

export class ConnectionStore {
  /** @param {string} file a path, or `:memory:` */
  constructor(file) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  /**
   * From `onConnected`: the account as the platform has it now (new, or reconnected).
   * @param {{integratedAccountId: string, externalId: string, integration: string, status: string, context?: Record<string, unknown>}} connection
   */
  saveConnection(connection) {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO connections (integrated_account_id, external_id, integration, status, status_reason, context, connected_at, updated_at)
         VALUES (@id, @externalId, @integration, @status, NULL, @context, @now, @now)
         ON CONFLICT (integrated_account_id) DO UPDATE SET
           status = excluded.status, status_reason = NULL, context = excluded.context, updated_at = excluded.updated_at`,
      )
      .run({
        id: connection.integratedAccountId,
        externalId: connection.externalId,
        integration: connection.integration,
        status: connection.status,
        context: JSON.stringify(connection.context ?? {}),
        now,
      });
  }

  /**
   * From a verified webhook: remember it, and bring the account's row up to date.
   * @param {{id: string, type: string, data: {integratedAccountId: string, integration: string, status: string, externalId?: string, statusReason?: string}}} event
   */
  applyEvent(event) {
    const { data } = event;
    const now = new Date().toISOString();
    const existing = this.get(data.integratedAccountId);
    const externalId = data.externalId ?? existing?.externalId ?? null;
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR IGNORE INTO webhook_events (id, type, integrated_account_id, external_id, received_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(event.id, event.type, data.integratedAccountId, externalId, now);
      if (event.type === 'integrated_account:deleted') {
        this.remove(data.integratedAccountId);
      } else if (existing) {
        this.db
          .prepare(
            'UPDATE connections SET status = ?, status_reason = ?, updated_at = ? WHERE integrated_account_id = ?',
          )
          .run(data.status, data.statusReason ?? null, now, data.integratedAccountId);
      } else if (externalId) {
        // The webhook came before the browser's /complete (or the tab was closed): keep it anyway.
        this.db
          .prepare(
            `INSERT INTO connections (integrated_account_id, external_id, integration, status, status_reason, context, connected_at, updated_at)
             VALUES (?, ?, ?, ?, ?, '{}', ?, ?)`,
          )
          .run(
            data.integratedAccountId,
            externalId,
            data.integration,
            data.status,
            data.statusReason ?? null,
            now,
            now,
          );
      }
    })();
  }

  /** @param {string} externalId @returns {StoredConnection[]} */
  listFor(externalId) {
    return this.db
      .prepare('SELECT * FROM connections WHERE external_id = ? ORDER BY connected_at, integrated_account_id')
      .all(externalId)
      .map(toConnection);
  }

  /** @param {string} integratedAccountId @returns {StoredConnection | undefined} */
  get(integratedAccountId) {
    const row = this.db
      .prepare('SELECT * FROM connections WHERE integrated_account_id = ?')
      .get(integratedAccountId);
    return row ? toConnection(row) : undefined;
  }

  /** @param {string} integratedAccountId */
  remove(integratedAccountId) {
    this.db.prepare('DELETE FROM connections WHERE integrated_account_id = ?').run(integratedAccountId);
  }

  /** @param {string} externalId @param {number} [limit] @returns {StoredEvent[]} */
  recentEvents(externalId, limit = 10) {
    return this.db
      .prepare(
        'SELECT id, type, integrated_account_id, received_at FROM webhook_events WHERE external_id = ? ORDER BY received_at DESC, rowid DESC LIMIT ?',
      )
      .all(externalId, limit)
      .map((/** @type {any} */ row) => ({
        id: row.id,
        type: row.type,
        integratedAccountId: row.integrated_account_id,
        receivedAt: row.received_at,
      }));
  }

  /**
   * A random secret kept in the file, created on first use (the cookie-signing key), so
   * sessions survive a restart without any configuration.
   * @param {string} name
   * @returns {string}
   */
  secret(name) {
    this.db
      .prepare('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)')
      .run(name, randomBytes(32).toString('base64url'));
    const row = /** @type {{value: string}} */ (
      this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name)
    );
    return row.value;
  }

  close() {
    this.db.close();
  }
}
