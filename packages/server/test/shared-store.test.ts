/**
 * Several processes of one app: each has its own helper, and only a shared once-store keeps a
 * result from being acted on twice. The store here is the README's SQL example, on one SQLite
 * file with a connection per "process", as separate processes would have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnceStore } from '../src/index.js';
import { connectWithApiKey, postFromPage, startWorld, type World } from './support/world.js';

/** The README's example: a primary key makes the claim atomic across processes. */
function sqliteOnceStore(db: Database.Database): OnceStore {
  db.exec('CREATE TABLE IF NOT EXISTS truto_once (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)');
  const purge = db.prepare('DELETE FROM truto_once WHERE key = ? AND expires_at <= ?');
  const insert = db.prepare('INSERT OR IGNORE INTO truto_once (key, expires_at) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM truto_once WHERE key = ?');
  return {
    async claim(key, ttlSeconds) {
      const now = Date.now();
      purge.run(key, now);
      return insert.run(key, now + ttlSeconds * 1000).changes === 1;
    },
    async release(key) {
      remove.run(key);
    },
  };
}

describe('a once-store shared by several processes', () => {
  let w: World;
  let dir: string;
  const connections: Database.Database[] = [];
  beforeAll(async () => {
    w = await startWorld(express);
    dir = mkdtempSync(join(tmpdir(), 'truto-once-'));
    for (const path of ['/p1', '/p2']) {
      const db = new Database(join(dir, 'once.sqlite'));
      connections.push(db);
      w.mount(path, { store: sqliteOnceStore(db) });
    }
    // Two more "processes" with the default store, each remembering only its own results.
    w.mount('/m1', {});
    w.mount('/m2', {});
  });
  afterAll(async () => {
    for (const db of connections) db.close();
    await w?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const resultThrough = async (path: string, user: string) => {
    const res = await postFromPage(`${w.appUrl}${path}/link-token`, { integration: 'acmehr' }, user);
    const { linkUrl } = (await res.json()) as { linkUrl: string };
    return (await connectWithApiKey(linkUrl)).searchParams.get('result') as string;
  };

  it('acts on a result once across processes sharing the store', async () => {
    const result = await resultThrough('/p1', 'user-1');
    const before = w.connected.length;
    for (const path of ['/p1', '/p2', '/p2', '/p1']) {
      const res = await postFromPage(`${w.appUrl}${path}/complete`, { result }, 'user-1');
      expect(res.status).toBe(200);
    }
    expect(w.connected.length).toBe(before + 1);
  });

  it('without a shared store, each process acts once (the reason to share it)', async () => {
    const result = await resultThrough('/m1', 'user-2');
    const before = w.connected.length;
    for (const path of ['/m1', '/m2', '/m1']) {
      expect((await postFromPage(`${w.appUrl}${path}/complete`, { result }, 'user-2')).status).toBe(200);
    }
    expect(w.connected.length).toBe(before + 2);
  });
});
