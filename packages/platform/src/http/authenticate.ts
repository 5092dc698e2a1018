/**
 * Bearer authentication of the Admin API with a tenant's API token (RFC 6750).
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../errors.js';
import type { Tenant, TenantStore } from '../store/tenants.js';

export interface AuthenticatedLocals {
  tenant: Tenant;
}

/** The tenant the request was authenticated as; set by {@link authenticateTenant}. */
export function tenantOf(res: Response): Tenant {
  return (res.locals as AuthenticatedLocals).tenant;
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export function authenticateTenant(tenants: TenantStore): RequestHandler {
  return async function authenticateTenantMiddleware(req: Request, res: Response, next: NextFunction) {
    const token = bearerTokenOf(req.headers.authorization);
    if (!token) {
      next(new UnauthorizedError('an API token is required: Authorization: Bearer <token>'));
      return;
    }
    const tenant = await tenants.findByApiToken(token);
    if (!tenant) {
      next(new UnauthorizedError('the API token is not valid', { invalidToken: true }));
      return;
    }
    (res.locals as AuthenticatedLocals).tenant = tenant;
    next();
  };
}
