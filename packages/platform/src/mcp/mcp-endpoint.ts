/**
 * `/mcp/{secret}`: the MCP endpoint behind every `mcpUrl`, over Streamable HTTP with the
 * official SDK. Stateless: each request looks its server up by the secret's hash and gets a
 * fresh SDK server, so any process answers any request and a revoked or expired URL is a 404
 * on every process at once. In front of the SDK: the per-server rate limit, the `Origin`
 * check (DNS-rebinding protection) and the optional tenant API token.
 * @module
 */
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler } from '@modelcontextprotocol/server';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { McpRateLimitedError, NotFoundError, OriginNotAllowedError, UnauthorizedError } from '../errors.js';
import { bearerTokenOf } from '../http/authenticate.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import type { McpServerStore } from '../store/mcp-servers.js';
import type { McpToolCallStore } from '../store/mcp-tool-calls.js';
import type { TenantStore } from '../store/tenants.js';
import {
  type AccountServerDependencies,
  buildAccountServer,
  type MethodRunner,
  type ServedAccount,
} from './account-server.js';
import { fetchBridge } from './fetch-bridge.js';
import { jsonBodyError, readJsonBody } from './json-body.js';
import { selectTools, toolsOf } from './tools.js';

/** Largest JSON-RPC body the endpoint reads (tool arguments are small). */
export const MCP_MAX_BODY_BYTES = 1024 * 1024;

export interface McpRateLimit {
  /** Requests per window per MCP server, counted across every process on the database. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_MCP_RATE_LIMIT: McpRateLimit = { limit: 120, windowMs: 60_000 };

export interface McpEndpointOptions {
  servers: McpServerStore;
  tenants: TenantStore;
  catalogue: IntegrationCatalogue;
  runner: MethodRunner;
  audit: McpToolCallStore;
  publicUrl: () => string;
  logger: Logger;
  rateLimit?: McpRateLimit;
  /** Where request counts are kept; the database, so that every process shares them. */
  rateLimitStore: Store;
}

interface McpLocals {
  served: ServedAccount;
}

const servedOf = (res: Response) => (res.locals as McpLocals).served;

export function mcpEndpoint(options: McpEndpointOptions): Router {
  const limits = options.rateLimit ?? DEFAULT_MCP_RATE_LIMIT;
  if (!(Number.isInteger(limits.limit) && limits.limit > 0 && limits.windowMs > 0)) {
    throw new TypeError('mcp rateLimit needs a positive integer limit and a positive windowMs');
  }
  const deps: AccountServerDependencies = {
    runner: options.runner,
    audit: options.audit,
    logger: options.logger,
  };
  const onerror = (error: Error) => options.logger.warn({ err: error }, 'MCP request failed');
  const handler = createMcpHandler(
    (ctx) => {
      const served = ctx.authInfo?.extra?.served as ServedAccount | undefined;
      // The endpoint always resolves the account first; reaching here without it is a bug.
      if (!served) throw new Error('MCP request reached the SDK without a resolved server');
      return buildAccountServer(served, deps);
    },
    { legacy: 'stateless', onerror, maxRequestBodySize: MCP_MAX_BODY_BYTES },
  );
  // Requests the endpoint parsed go over the lean bridge; the rest (GET, DELETE, other media
  // types) to the SDK's own Node adapter, which answers them as the SDK does.
  const serve = toNodeHandler(handler, { onerror, maxRequestBodySize: MCP_MAX_BODY_BYTES });
  const serveParsed = fetchBridge(handler, onerror);

  async function resolveServer(req: Request, res: Response, next: NextFunction) {
    const notFound = () =>
      new NotFoundError('no MCP server at this URL (it may have been revoked or have expired)');
    // One query: the record, its tenant and its account (revoked or expired: nothing).
    const found = await options.servers.findServedBySecret(String(req.params.secret));
    if (!found) return next(notFound());
    const { record, tenant, account } = found;
    const definition = options.catalogue.get(account.integration);
    if (!definition) return next(notFound());
    const allowed = record.allowed_methods;
    (res.locals as McpLocals).served = {
      record,
      tenant,
      account,
      definition,
      tools: selectTools(toolsOf(definition), allowed),
    };
    next();
  }

  const limiter = rateLimit({
    windowMs: limits.windowMs,
    limit: limits.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: options.rateLimitStore,
    keyGenerator: (_req, res) => servedOf(res).record.id,
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? (reset.getTime() - Date.now()) / 1000 : limits.windowMs / 1000;
      next(
        new McpRateLimitedError(
          `this MCP server allows ${limits.limit} requests per ${limits.windowMs / 1000} s`,
          seconds,
        ),
      );
    },
  });

  function checkOrigin(req: Request, res: Response, next: NextFunction) {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    const allowed = new Set([new URL(options.publicUrl()).origin, ...servedOf(res).tenant.allowedOrigins]);
    if (!allowed.has(origin)) {
      return next(new OriginNotAllowedError(`Origin ${origin} is not allowed to use this MCP server`));
    }
    next();
  }

  async function checkAdditionalAuth(req: Request, res: Response, next: NextFunction) {
    const { record, tenant } = servedOf(res);
    if (!record.require_additional_auth) return next();
    const token = bearerTokenOf(req.headers.authorization);
    if (!token) {
      return next(
        new UnauthorizedError(
          "this MCP server also needs the tenant's API token: Authorization: Bearer <token>",
        ),
      );
    }
    const presenter = await options.tenants.findByApiToken(token);
    // A valid token of another tenant is as wrong as no token at all.
    if (!presenter || presenter.id !== tenant.id) {
      return next(
        new UnauthorizedError('the API token is not valid for this MCP server', { invalidToken: true }),
      );
    }
    next();
  }

  async function handOver(req: Request, res: Response) {
    const served = servedOf(res);
    const auth: AuthInfo = {
      token: served.record.id,
      clientId: served.record.id,
      scopes: [],
      extra: { served },
    };
    const authed = Object.assign(req, { auth });
    // Other media types and methods go to the SDK untouched (it answers 415, 405...).
    if (req.method !== 'POST' || !req.is('application/json')) return serve(authed, res);
    const body = await readJsonBody(req, MCP_MAX_BODY_BYTES);
    if (body.kind !== 'parsed') {
      const { status, body: error } = jsonBodyError(body.kind, MCP_MAX_BODY_BYTES);
      if (body.kind === 'too-large') res.set('Connection', 'close');
      res.status(status).json(error);
      return;
    }
    return serveParsed(authed, res, body.value);
  }

  const router = Router();
  router.all('/mcp/:secret', resolveServer, limiter, checkOrigin, checkAdditionalAuth, handOver);
  return router;
}
