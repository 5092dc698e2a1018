/**
 * Creates the platform: database, catalogue, cipher, services and the Express app that serves
 * the Admin API. `listen()` starts it; `close()` stops accepting, lets requests in flight
 * finish, then closes the database.
 * @module
 */
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { DEFAULT_DATABASE, normalizePublicUrl, positiveInteger, type TrustProxy } from './config.js';
import { connectRouter, type OAuthClientCredentials } from './connect/connect-router.js';
import { CsrfTokens } from './connect/page-security.js';
import { CredentialCipher, keyIdOf, type SecretKey } from './crypto/credential-cipher.js';
import { loadOrCreateKeyFile, parseSecretKeys } from './crypto/secret-key.js';
import { openDatabase, type PlatformDatabase, parseDatabaseUrl } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { ConfigError } from './errors.js';
import { adminApiRouter, notFoundHandler } from './http/admin-api-router.js';
import { errorHandler } from './http/error-handler.js';
import { integrationsRouter } from './http/integrations-router.js';
import { operationsRouter } from './http/operations-router.js';
import { requestLog } from './http/request-log.js';
import { IntegrationCatalogue } from './integrations/catalogue.js';
import { sandboxIntegration } from './integrations/sandbox-integration.js';
import { createLogger } from './logger.js';
import { PURGE_INTERVAL_MS, purgeExpired } from './maintenance/purge-expired.js';
import { mcpAdminRouter } from './mcp/mcp-admin-router.js';
import { type McpRateLimit, mcpEndpoint } from './mcp/mcp-endpoint.js';
import { DatabaseRateLimitStore } from './mcp/rate-limit-store.js';
import { compileOperationValidators } from './openapi/operation-validators.js';
import { loadOpenApiDocument, type OpenApiDocument } from './openapi/spec.js';
import { checkPlatformOptions } from './platform-options.js';
import { IntegratedAccountService } from './services/integrated-accounts.js';
import { DEFAULT_LINK_TOKEN_TTL_SECONDS, LinkTokenService } from './services/link-tokens.js';
import { McpServerService } from './services/mcp-servers.js';
import { DEFAULT_RESULT_TTL_SECONDS } from './signing/connect-result.js';
import { SigningKeys } from './signing/signing-keys.js';
import { IdempotencyKeyStore } from './store/idempotency-keys.js';
import { IntegratedAccountStore } from './store/integrated-accounts.js';
import { LinkFlowStore } from './store/link-flows.js';
import { LinkTokenStore } from './store/link-tokens.js';
import { McpServerStore } from './store/mcp-servers.js';
import { McpToolCallStore } from './store/mcp-tool-calls.js';
import { OAuthStateStore } from './store/oauth-states.js';
import { TenantStore } from './store/tenants.js';
import { WebhookEventStore } from './store/webhook-events.js';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhooks/webhook-dispatcher.js';

export interface PlatformOptions {
  /** SQLite path / `sqlite:` URL (default `sqlite:.data/truto.sqlite`) or `postgres://…`. */
  database?: string;
  /** The URL the platform is reached at; default `http://localhost:<port>` once listening. */
  publicUrl?: string;
  /** Extra folders of integration definitions. */
  integrations?: readonly string[];
  /** A running Acme HR sandbox: registers the `acmehr` integration against it. */
  sandboxUrl?: string;
  /** Webhook delivery settings (timeouts, backoff); `false` turns the delivery worker off. */
  webhooks?:
    | Partial<
        Pick<
          WebhookDispatcherOptions,
          'pollMs' | 'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'leaseMs'
        >
      >
    | false;
  /** OAuth client credentials per integration, for the connect pages' OAuth flows. */
  oauthClients?: Readonly<Record<string, OAuthClientCredentials>>;
  /** `TRUTO_SECRET_KEY`: the credentials key ring. Required with PostgreSQL. */
  secretKey?: string;
  linkTokenTtlSeconds?: number;
  /**
   * Express's `trust proxy` (`--trust-proxy`): a hop count, `true`, or the proxies' addresses.
   * Behind a reverse proxy, rate limits then key on the client's address, not the proxy's.
   * Default off: `X-Forwarded-For` is ignored.
   */
  trustProxy?: TrustProxy;
  /** MCP endpoint settings: the per-server rate limit (default 120 requests a minute). */
  mcp?: { rateLimit?: McpRateLimit };
  /** Apply migrations on creation (default true). */
  migrate?: boolean;
  logger?: Logger;
}

export interface PlatformStores {
  tenants: TenantStore;
  accounts: IntegratedAccountStore;
  linkTokens: LinkTokenStore;
  mcpServers: McpServerStore;
  mcpToolCalls: McpToolCallStore;
}

export interface Platform {
  app: Express;
  /** The webhook outbox's delivery worker (running unless `webhooks: false`). */
  webhooks: WebhookDispatcher;
  /** The keys that sign connect results (and webhooks); JWKS at /.well-known/jwks.json. */
  signingKeys: SigningKeys;
  /** Direct access to the tables, for the connect flow, the MCP endpoints and tests. */
  stores: PlatformStores;
  database: PlatformDatabase;
  catalogue: IntegrationCatalogue;
  tenants: TenantStore;
  accounts: IntegratedAccountService;
  linkTokens: LinkTokenService;
  mcpServers: McpServerService;
  spec: OpenApiDocument;
  logger: Logger;
  /** The public URL; known once configured or listening. */
  readonly publicUrl: string;
  listen(port: number, host?: string): Promise<{ url: string; server: Server }>;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/** The embedded default: a key file next to the SQLite file (or a key for this process only). */
function embeddedKeys(database: PlatformDatabase, logger: Logger): SecretKey[] {
  if (!database.sqliteFile) {
    // An in-memory database lives and dies with the process; so may its key.
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32)));
    return [{ id: keyIdOf(key), key }];
  }
  const file = join(dirname(database.sqliteFile), 'secret.key');
  const { keys, generatedFile } = loadOrCreateKeyFile(file);
  if (generatedFile) {
    logger.warn(
      { keyFile: generatedFile },
      'generated a new credentials key (mode 0600); back it up, or set TRUTO_SECRET_KEY',
    );
  }
  return keys;
}

/**
 * Checks a `trust proxy` value as Express will read it (Express compiles the addresses when the
 * setting is made), so a bad one is a ConfigError before anything is opened.
 */
function checkTrustProxy(value: TrustProxy): boolean | number | string | string[] {
  const valid =
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((entry) => typeof entry === 'string'));
  if (!valid) throw new ConfigError('trustProxy must be a boolean, a hop count, or addresses');
  const setting = Array.isArray(value) ? [...value] : (value as boolean | number | string);
  try {
    express().set('trust proxy', setting);
  } catch (cause) {
    throw new ConfigError(`trustProxy: ${(cause as Error).message}`, { cause });
  }
  return setting;
}

export async function createPlatform(options: PlatformOptions = {}): Promise<Platform> {
  checkPlatformOptions(options);
  const logger = options.logger ?? createLogger();
  const ttlSeconds = positiveInteger(
    'linkTokenTtlSeconds',
    options.linkTokenTtlSeconds,
    DEFAULT_LINK_TOKEN_TTL_SECONDS,
  );
  const trustProxy = checkTrustProxy(options.trustProxy ?? false);
  let publicUrl = options.publicUrl === undefined ? undefined : normalizePublicUrl(options.publicUrl);
  const loaded = IntegrationCatalogue.load(options.integrations ?? []);
  const catalogue = options.sandboxUrl
    ? loaded.with(sandboxIntegration(normalizePublicUrl(options.sandboxUrl)))
    : loaded;
  const spec = loadOpenApiDocument();
  const validators = compileOperationValidators(spec);
  const databaseUrl = options.database ?? DEFAULT_DATABASE;
  const givenKeys = options.secretKey ? parseSecretKeys(options.secretKey) : undefined;
  if (!givenKeys && parseDatabaseUrl(databaseUrl).kind === 'postgres') {
    throw new ConfigError(
      'TRUTO_SECRET_KEY is required with PostgreSQL (every process must share the credentials key)',
    );
  }

  const database = openDatabase(databaseUrl, {
    onIdleError: (error) =>
      logger.warn({ err: error }, 'an idle database connection failed; it will be replaced'),
  });
  try {
    if (options.migrate !== false) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) logger.info({ applied }, 'applied schema migrations');
    }
    const cipher = new CredentialCipher(givenKeys ?? embeddedKeys(database, logger));
    const getPublicUrl = () => {
      if (!publicUrl) throw new ConfigError('the public URL is not known until the platform listens');
      return publicUrl;
    };

    const signingKeys = new SigningKeys(database.db, cipher, DEFAULT_RESULT_TTL_SECONDS);
    // Publish the key before anything is signed, so verifiers can fetch it up front.
    await signingKeys.current();
    const stores: PlatformStores = {
      tenants: new TenantStore(database.db),
      accounts: new IntegratedAccountStore(database.db, database.kind),
      linkTokens: new LinkTokenStore(database.db),
      mcpServers: new McpServerStore(database.db),
      mcpToolCalls: new McpToolCallStore(database.db),
    };
    const { tenants } = stores;
    const webhooks = new WebhookDispatcher({
      store: new WebhookEventStore(database.db, database.kind),
      tenants: stores.tenants,
      signingKeys,
      issuer: getPublicUrl,
      logger,
      ...(options.webhooks === false ? {} : options.webhooks),
    });
    const oauthClients = new Map(Object.entries(options.oauthClients ?? {}));
    if (options.sandboxUrl && !oauthClients.has('acmehr')) {
      // The sandbox's built-in client, as `truto-sandbox` registers it by default.
      oauthClients.set('acmehr', { clientId: 'truto-platform', clientSecret: 'truto-sandbox-client-secret' });
    }
    const accounts = new IntegratedAccountService({
      store: stores.accounts,
      catalogue,
      cipher,
      logger,
      onEvents: () => webhooks.nudge(),
      oauthClients,
    });
    // Services depend on the catalogue and the stores, never on each other.
    const linkTokens = new LinkTokenService({
      store: stores.linkTokens,
      accounts: stores.accounts,
      catalogue,
      publicUrl: getPublicUrl,
      ttlSeconds,
    });
    const mcpServers = new McpServerService({
      store: stores.mcpServers,
      accounts: stores.accounts,
      catalogue,
      publicUrl: getPublicUrl,
      toolCalls: stores.mcpToolCalls,
    });

    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', trustProxy);
    // Every answer is Cache-Control: no-store, so ETags would only cost a hash per response.
    app.disable('etag');
    app.use(requestLog(logger));
    app.use(function apiHeaders(_req: Request, res: Response, next: NextFunction) {
      // Responses carry tokens and account data: never cache them, never sniff them.
      res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      next();
    });
    // First after the headers: tool calls are the hot path, and no other router owns /mcp/.
    app.use(
      mcpEndpoint({
        servers: stores.mcpServers,
        tenants,
        catalogue,
        runner: accounts,
        audit: stores.mcpToolCalls,
        publicUrl: getPublicUrl,
        logger,
        rateLimitStore: new DatabaseRateLimitStore(database.db),
        ...(options.mcp?.rateLimit ? { rateLimit: options.mcp.rateLimit } : {}),
      }),
    );
    app.use(operationsRouter({ ping: database.ping, spec, jwks: () => signingKeys.jwks() }));
    app.use(
      connectRouter({
        catalogue,
        tenants,
        linkTokens: stores.linkTokens,
        linkFlows: new LinkFlowStore(database.db),
        oauthStates: new OAuthStateStore(database.db, cipher),
        accounts,
        signingKeys,
        csrf: new CsrfTokens(cipher.deriveKey('csrf')),
        oauthClients,
        publicUrl: getPublicUrl,
        logger,
      }),
    );
    app.use(mcpAdminRouter({ tenants, mcpServers, validators }));
    app.use(
      integrationsRouter({
        tenants,
        catalogue,
        hasOAuthClient: (integration) => oauthClients.has(integration),
        validators,
      }),
    );
    app.use(
      adminApiRouter({
        tenants,
        accounts,
        linkTokens,
        mcpServers,
        validators,
        idempotencyKeys: new IdempotencyKeyStore(database.db),
      }),
    );
    app.use(notFoundHandler);
    app.use(errorHandler(logger));

    if (options.webhooks !== false) webhooks.start();
    const purge = setInterval(() => {
      purgeExpired(database.db).then(
        (counts) => logger.debug({ purged: counts }, 'purged expired records'),
        (error: unknown) => logger.warn({ err: error }, 'purging expired records failed'),
      );
    }, PURGE_INTERVAL_MS);
    purge.unref();
    let server: Server | undefined;
    return {
      app,
      signingKeys,
      stores,
      database,
      catalogue,
      tenants,
      accounts,
      linkTokens,
      mcpServers,
      spec,
      logger,
      get publicUrl() {
        return getPublicUrl();
      },
      async listen(port, host) {
        const started = createServer(app);
        await new Promise<void>((resolve, reject) => {
          started.once('error', reject);
          started.listen({ port, ...(host === undefined ? {} : { host }) }, () => {
            started.off('error', reject);
            resolve();
          });
        });
        server = started;
        const address = started.address();
        const actualPort = typeof address === 'object' && address ? address.port : port;
        publicUrl ??= `http://localhost:${actualPort}`;
        return { url: `http://localhost:${actualPort}`, server: started };
      },
      webhooks,
      async close() {
        clearInterval(purge);
        await webhooks.stop();
        if (server) {
          const s = server;
          server = undefined;
          const closed = new Promise<void>((resolve) => s.close(() => resolve()));
          s.closeIdleConnections();
          const timer = setTimeout(() => s.closeAllConnections(), SHUTDOWN_GRACE_MS);
          await closed;
          clearTimeout(timer);
        }
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
