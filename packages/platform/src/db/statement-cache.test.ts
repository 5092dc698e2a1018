import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('reuses statements by SQL text and evicts the least recently used', () => {
    const raw = new Database(':memory:');
    const db = withStatementCache(raw, 2);
    const a = db.prepare('select 1 as v');
    expect(db.prepare('select 1 as v')).toBe(a);
    db.prepare('select 2 as v');
    db.prepare('select 1 as v'); // a is now the most recent
    db.prepare('select 3 as v'); // evicts "select 2"
    expect(db.prepare('select 1 as v')).toBe(a);
    expect(db.prepare('select 1 as v').all([])).toEqual([{ v: 1 }]);
    db.close();
    expect(raw.open).toBe(false);
  });
});
