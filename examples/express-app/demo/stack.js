/**
 * The whole demo in one process: the Acme HR sandbox, the platform (embedded SQLite) with a demo
 * tenant whose allowed origin is the app and whose webhooks go to the app's `/truto/webhook`,
 * and the example app. `pnpm start`, the end-to-end tests and the screenshot script all start
 * it through here, so they run the same thing.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createPlatform } from '@truto-connect/platform';
import { createSandbox, DEFAULT_API_KEY } from '@truto-connect/sandbox';
import { createExampleApp } from '../src/app.js';

/**
 * @typedef {object} DemoStackOptions
 * @property {number} [port] the app's port (default 3000; 0 for any free one)
 * @property {number} [platformPort] default 4000
 * @property {number} [sandboxPort] default 4100
 * @property {string} [host] interface to listen on (default: Node's default, all of them)
 * @property {string} [dataDir] where both SQLite files live (default `.data`)
 * @property {string} [apiToken] the demo tenant's Admin API token (default: generated)
 * @property {string} [secretKey] the platform's credentials key (default: generated into dataDir)
 * @property {string} [sandboxApiKey] the sandbox's API key (default `sandbox-demo-key`)
 * @property {string} [logLevel] the platform's log level (default `warn`)
 * @property {{write(line: string): unknown}} [logDestination] where the platform's log lines go (default stdout)
 */

/**
 * @typedef {object} DemoStack
 * @property {string} appUrl
 * @property {string} platformUrl
 * @property {string} sandboxUrl
 * @property {string} tenantId
 * @property {string} apiToken
 * @property {string} sandboxApiKey
 * @property {import('../src/app.js').ExampleApp} example
 * @property {import('@truto-connect/platform').Platform} platform
 * @property {() => Promise<void>} close
 */

/** The React example, once built (`pnpm build`), is served by the app at /react/. */
const REACT_APP_DIR = fileURLToPath(new URL('../../react-app/dist', import.meta.url));

/** @param {number} port */
const localUrl = (port) => `http://localhost:${port}`;

/**
 * @param {DemoStackOptions} [options]
 * @returns {Promise<DemoStack>}
 */
export async function startDemoStack(options = {}) {
  const dataDir = options.dataDir ?? '.data';
  const sandboxApiKey = options.sandboxApiKey ?? DEFAULT_API_KEY;
  // Ports are fixed before anything starts: the sandbox, the platform and the tenant all need
  // each other's URLs. Port 0 asks the system for a free one first.
  const [port, platformPort, sandboxPort] = await Promise.all([
    resolvePort(options.port ?? 3000),
    resolvePort(options.platformPort ?? 4000),
    resolvePort(options.sandboxPort ?? 4100),
  ]);
  const appUrl = localUrl(port);
  const platformUrl = localUrl(platformPort);
  const sandboxUrl = localUrl(sandboxPort);

  const sandbox = createSandbox({ publicUrl: sandboxUrl, platformUrl, apiKey: sandboxApiKey });
  await sandbox.listen(sandboxPort, options.host);
  const platform = await createPlatform({
    database: `sqlite:${join(dataDir, 'demo.sqlite')}`,
    sandboxUrl,
    publicUrl: platformUrl,
    logger: createLogger({
      level: options.logLevel ?? 'warn',
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    }),
    ...(options.secretKey ? { secretKey: options.secretKey } : {}),
  });

  // One tenant per app origin, kept across restarts (a tenant's origins and webhook URL are
  // fixed when it is created, so another PORT gets its own tenant).
  const name = `Demo (${appUrl})`;
  let tenant = await platform.tenants.findByName(name);
  let apiToken = options.apiToken;
  if (!tenant) {
    const created = await platform.tenants.create({
      name,
      allowedOrigins: [appUrl],
      webhookUrl: `${appUrl}/truto/webhook`,
      ...(apiToken ? { apiToken } : {}),
    });
    tenant = created.tenant;
    apiToken = created.apiToken;
  } else if (!apiToken || (await platform.tenants.findByApiToken(apiToken))?.id !== tenant.id) {
    // The token is stored only as a hash: a restart without DEMO_API_TOKEN mints a new one.
    apiToken = await platform.tenants.replaceApiToken(tenant.id, apiToken);
  }
  await platform.listen(platformPort, options.host);

  const example = createExampleApp({
    platformUrl,
    apiToken,
    publicUrl: appUrl,
    database: join(dataDir, 'example-app.sqlite'),
    ...(existsSync(join(REACT_APP_DIR, 'index.html')) ? { reactAppDir: REACT_APP_DIR } : {}),
  });
  await example.listen(port, options.host);

  return {
    appUrl,
    platformUrl,
    sandboxUrl,
    tenantId: tenant.id,
    apiToken,
    sandboxApiKey,
    example,
    platform,
    async close() {
      await example.close();
      await platform.close();
      await sandbox.close();
    },
  };
}

/** A port as given, or a free one for 0. @param {number} port @returns {Promise<number>} */
async function resolvePort(port) {
  if (port !== 0) return port;
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(free));
    });
  });
}
