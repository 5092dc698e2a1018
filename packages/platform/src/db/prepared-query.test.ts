import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { prepareQuery } from './prepared-query.js';

interface Schema {
  items: { id: string; kind: string; size: number };
}

describe('prepareQuery', () => {
  it('builds once, then runs with each call’s values in their places', async () => {
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    await db.schema
      .createTable('items')
      .addColumn('id', 'text')
      .addColumn('kind', 'text')
      .addColumn('size', 'integer')
      .execute();
    await db
      .insertInto('items')
      .values([
        { id: 'a', kind: 'x', size: 1 },
        { id: 'b', kind: 'x', size: 5 },
        { id: 'c', kind: 'y', size: 9 },
      ])
      .execute();
    let builds = 0;
    // Arguments used out of order, a constant in between, one argument twice.
    const query = prepareQuery((arg: (name: 'min' | 'kind') => never) => {
      builds++;
      return db
        .selectFrom('items')
        .select('id')
        .where('size', '>=', arg('min'))
        .where('id', '!=', 'zzz')
        .where('kind', '=', arg('kind'))
        .where((eb) => eb.or([eb('kind', '=', arg('kind')), eb('size', '<', 0)]))
        .orderBy('id');
    });
    expect(await query.execute(db, { kind: 'x', min: 2 })).toEqual([{ id: 'b' }]);
    expect(await query.execute(db, { kind: 'x', min: 0 })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await query.execute(db, { kind: 'y', min: 0 })).toEqual([{ id: 'c' }]);
    expect(builds).toBe(1);
    await db.destroy();
  });
});
