#!/usr/bin/env node
/**
 * `truto-sandbox`: serves Acme HR. Options have environment twins; the flag wins.
 * @module
 */
import { parseArgs } from 'node:util';
import { createSandbox, DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './sandbox.js';

const USAGE = `Usage: truto-sandbox [options]

  --port N               Port (default 4100)                                   [SANDBOX_PORT]
  --public-url URL       The sandbox's public URL (default http://localhost:<port>)
  --platform-url URL     The platform whose OAuth callback is allowed          [PLATFORM_URL]
                         (default http://localhost:<PLATFORM_PORT or 4000>)
  --client-id ID         The platform's OAuth client id (default ${DEFAULT_CLIENT_ID})        [SANDBOX_CLIENT_ID]
  --client-secret S      Its client secret (default ${DEFAULT_CLIENT_SECRET})  [SANDBOX_CLIENT_SECRET]
  --api-key KEY          The API key the REST API accepts (default ${DEFAULT_API_KEY})         [SANDBOX_API_KEY]
  --access-token-ttl S   Access-token lifetime in seconds (default 120)        [SANDBOX_ACCESS_TOKEN_TTL]
  --coop                 Send COOP same-origin on sign-in and consent, like many real providers`;

function main(): Promise<void> | void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'public-url': { type: 'string' },
        'platform-url': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'api-key': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        coop: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`truto-sandbox: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 64;
    return;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const port = Number(values.port ?? env.SANDBOX_PORT ?? 4100);
  const ttl = Number(values['access-token-ttl'] ?? env.SANDBOX_ACCESS_TOKEN_TTL ?? 120);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(ttl) || ttl < 1) {
    process.stderr.write('truto-sandbox: --port must be a port and --access-token-ttl a positive integer\n');
    process.exitCode = 64;
    return;
  }
  const sandbox = createSandbox({
    publicUrl: String(values['public-url'] ?? env.SANDBOX_PUBLIC_URL ?? `http://localhost:${port}`),
    platformUrl: String(
      values['platform-url'] ?? env.PLATFORM_URL ?? `http://localhost:${env.PLATFORM_PORT ?? 4000}`,
    ),
    clientId: String(values['client-id'] ?? env.SANDBOX_CLIENT_ID ?? DEFAULT_CLIENT_ID),
    clientSecret: String(values['client-secret'] ?? env.SANDBOX_CLIENT_SECRET ?? DEFAULT_CLIENT_SECRET),
    apiKey: String(values['api-key'] ?? env.SANDBOX_API_KEY ?? DEFAULT_API_KEY),
    accessTokenTtl: ttl,
    crossOriginOpenerPolicy: values.coop === true,
  });
  const listening = sandbox.listen(port);
  // Signals are taken before listening, so that one sent while starting still closes cleanly.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    listening
      .then(() => sandbox.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return listening.then(({ url }) => {
    process.stdout.write(`Acme HR sandbox on ${url} (sign in as demo / demo)\n`);
  });
}

Promise.resolve(main()).catch((error: unknown) => {
  process.stderr.write(`truto-sandbox: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
