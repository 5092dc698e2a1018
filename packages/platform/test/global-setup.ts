/**
 * Starts one PostgreSQL server for the whole run (unless TRUTO_TEST_POSTGRES_URL names one) and
 * hands its URL to the tests. PostgreSQL is required: the same suites run on SQLite and on it.
 */
import type { TestProject } from 'vitest/node';
import { type PostgresServer, startPostgres } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

let server: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TRUTO_TEST_POSTGRES_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return;
  }
  server = await startPostgres();
  project.provide('postgresUrl', server.url);
}

export async function teardown(): Promise<void> {
  server?.stop();
}
