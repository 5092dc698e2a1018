/**
 * A query built and compiled once. Kysely builds and compiles every query on every call; for
 * the few statements on the MCP hot path that costs more than SQLite takes to run them. Built
 * with a sentinel in place of each argument, the compiled SQL is kept, and each run swaps the
 * real values in by position.
 *
 * @example
 * const byHash = prepareQuery((arg) => db.selectFrom('t').selectAll().where('h', '=', arg('hash')));
 * await byHash.execute(db, { hash });
 * @module
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

const SENTINEL = '\u0000prepared-query-argument:';

export interface PreparedQuery<Row, Name extends string> {
  execute<DB>(db: Kysely<DB>, args: Record<Name, unknown>): Promise<Row[]>;
}

export function prepareQuery<Row, Name extends string>(
  build: (arg: (name: Name) => never) => Compilable<Row>,
): PreparedQuery<Row, Name> {
  const compiled: CompiledQuery<Row> = build((name) => `${SENTINEL}${name}` as never).compile();
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? (value.slice(SENTINEL.length) as Name)
      : undefined,
  );
  return {
    async execute(db, args) {
      const parameters = compiled.parameters.map((value, i) => {
        const name = slots[i];
        return name === undefined ? value : args[name];
      });
      const result = await db.executeQuery<Row>({ ...compiled, parameters });
      return result.rows;
    },
  };
}
