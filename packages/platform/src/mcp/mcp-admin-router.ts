/**
 * The additive Admin API routes around MCP servers: list an account's servers, revoke one, and
 * list the account's tool-call audit records. Mounted before the Admin API router, which keeps
 * `POST /integrated-accounts/{id}/mcp` (creation).
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { MethodNotAllowedError } from '../errors.js';
import { authenticateTenant, tenantOf } from '../http/authenticate.js';
import { validatedOf, validateOperation } from '../http/validate-operation.js';
import type { OperationValidator } from '../openapi/operation-validators.js';
import type { ListMcpToolCallsQuery } from '../services/api-types.js';
import type { McpServerService } from '../services/mcp-servers.js';
import type { TenantStore } from '../store/tenants.js';

export interface McpAdminDependencies {
  tenants: TenantStore;
  mcpServers: McpServerService;
  validators: Map<string, OperationValidator>;
}

export function mcpAdminRouter(deps: McpAdminDependencies): Router {
  const router = Router();
  const validate = (operationId: string) => {
    const validator = deps.validators.get(operationId);
    if (!validator) throw new Error(`operation ${operationId} is not in the served spec`);
    return validateOperation(validator);
  };
  const auth = authenticateTenant(deps.tenants);
  const methodNotAllowed = (allow: string) =>
    function methodNotAllowedHandler(req: Request, res: Response) {
      res.set('Allow', allow);
      throw new MethodNotAllowedError(`${req.method} is not allowed here; use ${allow}`);
    };

  router.get(
    '/integrated-accounts/:id/mcp',
    auth,
    validate('listMcpServers'),
    async function listMcpServers(req, res) {
      res.json(await deps.mcpServers.list(tenantOf(res), String(req.params.id)));
    },
  );

  router
    .route('/integrated-accounts/:id/mcp/:mcpServerId')
    .delete(auth, validate('revokeMcpServer'), async function revokeMcpServer(req, res) {
      await deps.mcpServers.revoke(tenantOf(res), String(req.params.id), String(req.params.mcpServerId));
      res.status(204).end();
    })
    .all(methodNotAllowed('DELETE'));

  router
    .route('/integrated-accounts/:id/mcp-tool-calls')
    .get(auth, validate('listMcpToolCalls'), async function listMcpToolCalls(req, res) {
      const q = validatedOf(res).query as ListMcpToolCallsQuery;
      res.json(
        await deps.mcpServers.toolCalls(tenantOf(res), String(req.params.id), {
          page: q.page ?? 1,
          limit: q.limit ?? 20,
        }),
      );
    })
    .all(methodNotAllowed('GET'));

  return router;
}
