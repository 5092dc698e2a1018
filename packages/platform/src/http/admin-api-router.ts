/**
 * The Admin API routes of the spec. Each route: authenticate, validate against its operation,
 * call a domain service, answer with the spec's status. Unknown paths are 404 and known paths
 * with another method are 405, both in the error shape.
 * @module
 */
import express, { type Request, type Response, Router } from 'express';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';
import type { OperationValidator } from '../openapi/operation-validators.js';
import type {
  CreateIntegratedAccountRequest,
  CreateLinkTokenRequest,
  CreateMcpServerRequest,
  ListIntegratedAccountsQuery,
} from '../services/api-types.js';
import type { IntegratedAccountService } from '../services/integrated-accounts.js';
import type { LinkTokenService } from '../services/link-tokens.js';
import type { McpServerService } from '../services/mcp-servers.js';
import type { IdempotencyKeyStore } from '../store/idempotency-keys.js';
import type { AccountStatus } from '../store/integrated-accounts.js';
import type { TenantStore } from '../store/tenants.js';
import { authenticateTenant, tenantOf } from './authenticate.js';
import { idempotency } from './idempotency.js';
import { validatedOf, validateOperation } from './validate-operation.js';

export const MAX_BODY_BYTES = 100 * 1024;

export interface AdminApiDependencies {
  tenants: TenantStore;
  accounts: IntegratedAccountService;
  linkTokens: LinkTokenService;
  mcpServers: McpServerService;
  validators: Map<string, OperationValidator>;
  idempotencyKeys: IdempotencyKeyStore;
}

/** The `id` path parameter. */
const idOf = (req: Request) => String(req.params.id);

export function adminApiRouter(deps: AdminApiDependencies): Router {
  const router = Router();
  const validate = (operationId: string) => {
    const validator = deps.validators.get(operationId);
    if (!validator) throw new Error(`operation ${operationId} is not in the served spec`);
    return validateOperation(validator);
  };
  const auth = authenticateTenant(deps.tenants);
  /** After validation: like Stripe, a request refused as malformed does not use up its key. */
  const idempotent = (operationId: string) => idempotency(deps.idempotencyKeys, operationId);
  const json = express.json({ limit: MAX_BODY_BYTES, strict: true });
  const methodNotAllowed = (allow: string) =>
    function methodNotAllowedHandler(req: Request, res: Response) {
      res.set('Allow', allow);
      throw new MethodNotAllowedError(`${req.method} is not allowed here; use ${allow}`);
    };

  router
    .route('/integrated-accounts')
    .get(auth, validate('listIntegratedAccounts'), async function listIntegratedAccounts(_req, res) {
      const q = validatedOf(res).query as ListIntegratedAccountsQuery;
      const result = await deps.accounts.list(tenantOf(res), {
        ...(q.integration === undefined ? {} : { integration: q.integration }),
        ...(q.status === undefined ? {} : { status: q.status as AccountStatus }),
        page: q.page ?? 1,
        limit: q.limit ?? 20,
      });
      res.json(result);
    })
    .post(
      auth,
      json,
      validate('createIntegratedAccount'),
      idempotent('createIntegratedAccount'),
      async function createIntegratedAccount(_req, res) {
        const body = validatedOf(res).body as CreateIntegratedAccountRequest;
        res.status(201).json(await deps.accounts.create(tenantOf(res), body));
      },
    )
    .all(methodNotAllowed('GET, POST'));

  router
    .route('/integrated-accounts/:id')
    .get(auth, validate('getIntegratedAccount'), async function getIntegratedAccount(req, res) {
      res.json(await deps.accounts.get(tenantOf(res), idOf(req)));
    })
    .delete(auth, validate('deleteIntegratedAccount'), async function deleteIntegratedAccount(req, res) {
      await deps.accounts.delete(tenantOf(res), idOf(req));
      res.status(204).end();
    })
    .all(methodNotAllowed('GET, DELETE'));

  router
    .route('/integrated-accounts/:id/run-post-install-actions')
    .post(auth, validate('runPostInstallActions'), async function runPostInstallActions(req, res) {
      res.json(await deps.accounts.runPostInstall(tenantOf(res), idOf(req)));
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/integrated-accounts/:id/mcp')
    .post(
      auth,
      json,
      validate('createMcpServer'),
      idempotent('createMcpServer'),
      async function createMcpServer(req, res) {
        const body = validatedOf(res).body as CreateMcpServerRequest;
        res.status(201).json(await deps.mcpServers.create(tenantOf(res), idOf(req), body));
      },
    )
    // GET (the list) is served by the MCP admin router, mounted first.
    .all(methodNotAllowed('GET, POST'));

  router
    .route('/link-tokens')
    .post(
      auth,
      json,
      validate('createLinkToken'),
      idempotent('createLinkToken'),
      async function createLinkToken(_req, res) {
        const body = validatedOf(res).body as CreateLinkTokenRequest;
        res.status(201).json(await deps.linkTokens.create(tenantOf(res), body));
      },
    )
    .all(methodNotAllowed('POST'));

  return router;
}

/** The last route: everything no router answered. */
export function notFoundHandler(req: Request): never {
  throw new NotFoundError(`no route for ${req.method} ${req.path}`);
}
