/**
 * `GET /integrations` (an addition to the seed spec): the catalogue, for a SaaS that builds its
 * own integrations page. Authenticated like every Admin API route, though every tenant sees the
 * same catalogue: the token keeps the list from being an anonymous probe of the deployment.
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { MethodNotAllowedError } from '../errors.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import { listIntegrations } from '../integrations/catalogue-listing.js';
import type { OperationValidator } from '../openapi/operation-validators.js';
import type { ListIntegrationsQuery } from '../services/api-types.js';
import type { TenantStore } from '../store/tenants.js';
import { authenticateTenant } from './authenticate.js';
import { validatedOf, validateOperation } from './validate-operation.js';

export interface IntegrationsRouterDependencies {
  tenants: TenantStore;
  catalogue: IntegrationCatalogue;
  /** Whether the operator configured an OAuth app for an integration (never the app itself). */
  hasOAuthClient: (integration: string) => boolean;
  validators: Map<string, OperationValidator>;
}

export function integrationsRouter(deps: IntegrationsRouterDependencies): Router {
  const validator = deps.validators.get('listIntegrations');
  if (!validator) throw new Error('operation listIntegrations is not in the served spec');
  const router = Router();
  router
    .route('/integrations')
    .get(
      authenticateTenant(deps.tenants),
      validateOperation(validator),
      function listIntegrationsHandler(_req: Request, res: Response) {
        const q = validatedOf(res).query as ListIntegrationsQuery;
        res.json(
          listIntegrations(deps.catalogue, {
            ...(q.category === undefined ? {} : { category: q.category }),
            hasOAuthClient: deps.hasOAuthClient,
          }),
        );
      },
    )
    .all(function methodNotAllowedHandler(req: Request, res: Response) {
      res.set('Allow', 'GET');
      throw new MethodNotAllowedError(`${req.method} is not allowed here; use GET`);
    });
  return router;
}
