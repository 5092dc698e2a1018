#!/usr/bin/env node
/**
 * `truto-platform`: serve the platform, apply migrations, create tenants, bridge stdio to an MCP URL.
 * Every option has an environment twin; the flag wins.
 * @module
 */
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { normalizeOrigin, normalizeWebhookUrl, parseOAuthClients, parseTrustProxy } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { PlatformError, UsageError } from './errors.js';
import { createLogger } from './logger.js';
import { MIN_API_TOKEN_LENGTH, TenantStore } from './store/tenants.js';

const USAGE = `Usage: truto-platform <command> [options]

Commands:
  serve                         Serve the Admin API (applies migrations first)
  migrate                       Apply schema migrations and exit
  tenants create --name NAME    Create a tenant; prints {"tenantId","apiToken"} once
  tenants rotate-token --tenant ID
                                Give the tenant a new API token (and turn it on again); prints
                                {"tenantId","apiToken"} once; the old token is refused within 2 s
  tenants disable --tenant ID   Turn the tenant's API token off; refused within 2 s
  mcp-stdio <mcpUrl>            Bridge a stdio MCP client (Claude Desktop…) to an MCP URL

Options:
  --database URL        SQLite path or sqlite: URL (default .data/truto.sqlite), or postgres://…  [DATABASE_URL]
  --port N              Port to listen on (serve; default 4000)                                  [PORT]
  --host HOST           Address to listen on (serve; default all)                                [HOST]
  --public-url URL      URL the platform is reached at (serve)                                   [PUBLIC_URL]
  --integrations DIR    Extra folder of integration definitions (serve; repeatable)
  --sandbox-url URL     A running Acme HR sandbox: registers integration acmehr (serve)          [SANDBOX_URL]
  --trust-proxy VALUE   Express's trust proxy behind a reverse proxy: hop count, true, or
                        addresses/subnets, comma-separated (serve; default off)                 [TRUST_PROXY]
  --allowed-origin URL  An origin the tenant's pages and redirect URIs may have (tenants create; repeatable)
  --webhook-url URL     Where the tenant's webhooks go (tenants create)
  --api-token TOKEN     Use this API token (32 characters or more) instead of a generated one
                        (tenants create, tenants rotate-token)
  --tenant ID           The tenant (tenants rotate-token, tenants disable)
  --header "K: V"       A header to send with every MCP request (mcp-stdio; repeatable)
  -h, --help            Show this help

Environment: TRUTO_SECRET_KEY (credentials key ring; required with PostgreSQL), LOG_LEVEL,
  TRUTO_OAUTH_CLIENTS (JSON: {"<integration>": {"clientId", "clientSecret"}} for the connect pages' OAuth).`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        database: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'public-url': { type: 'string' },
        integrations: { type: 'string', multiple: true },
        'sandbox-url': { type: 'string' },
        'trust-proxy': { type: 'string' },
        name: { type: 'string' },
        'allowed-origin': { type: 'string', multiple: true },
        'webhook-url': { type: 'string' },
        'api-token': { type: 'string' },
        tenant: { type: 'string' },
        header: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port "${value}" is not a port`);
  return port;
}

async function serve(values: ReturnType<typeof parse>['values']): Promise<void> {
  const logger = createLogger();
  const port = parsePort(values.port ?? process.env.PORT ?? '4000');
  const publicUrl = values['public-url'] ?? process.env.PUBLIC_URL;
  const secretKey = process.env.TRUTO_SECRET_KEY;
  const sandboxUrl = values['sandbox-url'] ?? process.env.SANDBOX_URL;
  const trustProxyValue = values['trust-proxy'] ?? process.env.TRUST_PROXY;
  const trustProxy = trustProxyValue === undefined ? undefined : parseTrustProxy(trustProxyValue);
  const oauthClients = process.env.TRUTO_OAUTH_CLIENTS
    ? parseOAuthClients(process.env.TRUTO_OAUTH_CLIENTS)
    : undefined;
  // Signals are taken before anything is opened, so that one sent while the platform starts
  // still closes it cleanly (the process would otherwise die with the database open).
  const shutdown = gracefulShutdown(logger);
  // Loaded here so that `mcp-stdio` starts without the server's modules.
  const { createPlatform } = await import('./platform.js');
  const platform = await createPlatform({
    database: values.database ?? process.env.DATABASE_URL,
    ...(publicUrl ? { publicUrl } : {}),
    ...(secretKey ? { secretKey } : {}),
    integrations: values.integrations ?? [],
    ...(sandboxUrl ? { sandboxUrl } : {}),
    ...(oauthClients ? { oauthClients } : {}),
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    logger,
  });
  // A signal that came while starting closes the platform now, before it listens.
  if (!shutdown.created(platform)) return;
  const host = values.host ?? process.env.HOST;
  let url: string;
  try {
    ({ url } = await platform.listen(port, host));
  } catch (error) {
    await platform.close();
    throw error;
  }
  logger.info(
    {
      url,
      publicUrl: platform.publicUrl,
      database: platform.database.kind,
      integrations: platform.catalogue.names(),
    },
    `truto-platform listening on ${url}`,
  );
}

/** How long a signal sent while starting waits for the platform to exist before giving up. */
const STARTING_STOP_GRACE_MS = 10_000;

/** Closes the platform on SIGTERM/SIGINT; one that comes while starting closes it once created. */
function gracefulShutdown(logger: Logger) {
  let platform: { close(): Promise<void> } | undefined;
  let signalled: string | undefined;
  const close = (target: { close(): Promise<void> }, signal: string) => {
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    target.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    // A second signal while the platform is still starting stops at once, as it would have
    // without a handler.
    if (signalled && !platform) process.exit(1);
    if (signalled) return;
    signalled = signal;
    if (platform) return close(platform, signal);
    // A start that hangs (a database that does not answer) must not outlive one signal for long.
    setTimeout(() => {
      logger.error({ signal }, 'stopping: the platform did not finish starting');
      process.exit(1);
    }, STARTING_STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return {
    /** Takes the created platform; `false` when a signal already asked it to stop. */
    created(target: { close(): Promise<void> }): boolean {
      platform = target;
      if (!signalled) return true;
      close(target, signalled);
      return false;
    },
  };
}

function requiredTenant(value: string | undefined, command: string): string {
  const id = value?.trim();
  if (!id) throw new UsageError(`${command} needs --tenant ID`);
  return id;
}

/** `--api-token`: short tokens are guessable; refuse them before touching the database. */
function apiTokenOption(value: string | undefined): string | undefined {
  if (value !== undefined && value.length < MIN_API_TOKEN_LENGTH) {
    throw new UsageError(`--api-token must be at least ${MIN_API_TOKEN_LENGTH} characters`);
  }
  return value;
}

async function withDatabase<T>(
  url: string | undefined,
  run: (db: ReturnType<typeof openDatabase>) => Promise<T>,
) {
  const database = openDatabase(url ?? process.env.DATABASE_URL ?? 'sqlite:.data/truto.sqlite');
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  const command = positionals.join(' ');
  if (values.help || command === '') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] === 'mcp-stdio') {
    if (positionals.length !== 2) throw new UsageError('mcp-stdio needs exactly one MCP URL');
    let url: URL;
    try {
      url = new URL(String(positionals[1]));
    } catch (cause) {
      throw new UsageError('mcp-stdio needs an MCP URL (http or https)', { cause });
    }
    const { parseHeader, startStdioBridge } = await import('./mcp/stdio-bridge.js');
    const headers = Object.fromEntries((values.header ?? []).map(parseHeader));
    const bridge = await startStdioBridge({ url, headers });
    await bridge.closed;
    return;
  }
  switch (command) {
    case 'serve':
      return serve(values);
    case 'migrate': {
      const applied = await withDatabase(values.database, (d) => migrateToLatest(d.db));
      process.stdout.write(`${JSON.stringify({ applied })}\n`);
      return;
    }
    case 'tenants create': {
      const name = values.name?.trim();
      if (!name) throw new UsageError('tenants create needs --name NAME');
      const allowedOrigins = (values['allowed-origin'] ?? []).map(normalizeOrigin);
      const webhookUrl = values['webhook-url'] ? normalizeWebhookUrl(values['webhook-url']) : null;
      const apiToken = apiTokenOption(values['api-token']);
      const created = await withDatabase(values.database, async (d) => {
        await migrateToLatest(d.db);
        return new TenantStore(d.db).create({
          name,
          allowedOrigins,
          webhookUrl,
          ...(apiToken ? { apiToken } : {}),
        });
      });
      process.stdout.write(
        `${JSON.stringify({ tenantId: created.tenant.id, apiToken: created.apiToken })}\n`,
      );
      return;
    }
    case 'tenants rotate-token': {
      const tenantId = requiredTenant(values.tenant, command);
      const apiToken = apiTokenOption(values['api-token']);
      const rotated = await withDatabase(values.database, async (d) => {
        await migrateToLatest(d.db);
        return new TenantStore(d.db).replaceApiToken(tenantId, apiToken);
      });
      process.stdout.write(`${JSON.stringify({ tenantId, apiToken: rotated })}\n`);
      return;
    }
    case 'tenants disable': {
      const tenantId = requiredTenant(values.tenant, command);
      await withDatabase(values.database, async (d) => {
        await migrateToLatest(d.db);
        await new TenantStore(d.db).disable(tenantId);
      });
      process.stdout.write(`${JSON.stringify({ tenantId, disabled: true })}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const code = error instanceof PlatformError ? error.code : 'internal_error';
  process.stderr.write(`truto-platform: ${(error as Error).message} (${code})\n`);
  process.exitCode = code === 'usage' ? 64 : 1;
});
