#!/usr/bin/env node
/**
 * `pnpm -C examples/express-app start`: the example app on its own, against a platform that is
 * already running (the root `pnpm start` runs all three together instead).
 * @module
 */
import { createExampleApp } from './app.js';

const platformUrl = process.env.TRUTO_BASE_URL ?? 'http://localhost:4000';
const apiToken = process.env.TRUTO_API_TOKEN;
if (!apiToken) {
  console.error("Set TRUTO_API_TOKEN to the tenant's Admin API token (see README.md).");
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const example = createExampleApp({
  platformUrl,
  apiToken,
  publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
  ...(process.env.DATABASE ? { database: process.env.DATABASE } : {}),
});
const listening = example.listen(port);
// Signals are taken before listening, so that one sent while starting still closes cleanly.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  listening
    .then(() => example.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const { url } = await listening;
console.log(`Acme Payroll (example app) on ${url}, using the platform at ${platformUrl}`);
