/**
 * Express middleware that validates a request against its OpenAPI operation: query parameters
 * (coerced, defaults applied, unknown ones refused) and the JSON body.
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { InvalidRequestError, UnsupportedMediaTypeError } from '../errors.js';
import { describeIssues, type OperationValidator } from '../openapi/operation-validators.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

export interface ValidatedLocals {
  query: Record<string, unknown>;
  body: unknown;
}

export function validatedOf(res: Response): ValidatedLocals {
  return res.locals.validated as ValidatedLocals;
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function validateOperation(validator: OperationValidator): RequestHandler {
  return function validateOperationMiddleware(req: Request, res: Response, next: NextFunction) {
    const query = validator.query(req.query);
    if (!query.ok) {
      next(new InvalidRequestError(describeIssues(query.issues)));
      return;
    }
    let body: unknown;
    if (validator.bodyRequired !== undefined) {
      // express.json() leaves req.body undefined for a body that is not JSON.
      if (hasBody(req) && !req.is('application/json')) {
        next(new UnsupportedMediaTypeError('the request body must be application/json'));
        return;
      }
      body = req.body;
      if (body === undefined) {
        if (validator.bodyRequired) {
          next(new InvalidRequestError('a JSON request body is required'));
          return;
        }
        body = {};
      }
      // Before ajv: its recursion would overflow the stack on a body nested thousands deep.
      if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
        next(new InvalidRequestError(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`));
        return;
      }
      const issues = validator.body(body);
      if (issues.length > 0) {
        next(new InvalidRequestError(describeIssues(issues)));
        return;
      }
    }
    res.locals.validated = { query: query.value, body } satisfies ValidatedLocals;
    next();
  };
}
