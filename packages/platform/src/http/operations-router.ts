/**
 * Unauthenticated operational endpoints: `/healthz` and `/openapi.json`.
 * @module
 */
import { Router } from 'express';
import type { JSONWebKeySet } from 'jose';
import { NotFoundError } from '../errors.js';
import type { OpenApiDocument } from '../openapi/spec.js';

export function operationsRouter(deps: {
  ping: () => Promise<boolean>;
  spec: OpenApiDocument;
  jwks?: () => Promise<JSONWebKeySet>;
}): Router {
  const router = Router();
  const specJson = JSON.stringify(deps.spec);

  router.get('/healthz', async function getHealth(_req, res) {
    const up = await deps.ping();
    res
      .status(up ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: up ? 'ok' : 'unavailable', database: up ? 'ok' : 'unreachable' });
  });

  router.get('/.well-known/jwks.json', async function getJwks(_req, res) {
    if (!deps.jwks) throw new NotFoundError('no signing keys are configured');
    // Keys change only on rotation; verifiers may cache them briefly.
    res.set('Cache-Control', 'public, max-age=300').json(await deps.jwks());
  });

  router.get('/openapi.json', function getOpenApiSpec(_req, res) {
    res.type('application/json').send(specJson);
  });

  return router;
}
