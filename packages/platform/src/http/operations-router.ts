/**
 * Unauthenticated operational endpoints: `/healthz` and `/openapi.json`.
 * @module
 */
import { Router } from 'express';
import type { OpenApiDocument } from '../openapi/spec.js';

export function operationsRouter(deps: { ping: () => Promise<boolean>; spec: OpenApiDocument }): Router {
  const router = Router();
  const specJson = JSON.stringify(deps.spec);

  router.get('/healthz', async function getHealth(_req, res) {
    const up = await deps.ping();
    res
      .status(up ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: up ? 'ok' : 'unavailable', database: up ? 'ok' : 'unreachable' });
  });

  router.get('/openapi.json', function getOpenApiSpec(_req, res) {
    res.type('application/json').send(specJson);
  });

  return router;
}
