/**
 * Link tokens: minted for one tenant, integration and end user; `linkUrl` opens the platform's
 * connect pages. The redirect URI must be on the tenant's allowed origins (no open redirects).
 * @module
 */
import { InvalidRequestError, RedirectUriNotAllowedError } from '../errors.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import type { IntegratedAccountStore } from '../store/integrated-accounts.js';
import type { LinkTokenStore } from '../store/link-tokens.js';
import type { Tenant } from '../store/tenants.js';
import type { CreateLinkTokenRequest, LinkToken } from './api-types.js';

export const DEFAULT_LINK_TOKEN_TTL_SECONDS = 600;

export function checkRedirectUri(tenant: Tenant, redirectUri: string): void {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new RedirectUriNotAllowedError('redirectUri is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RedirectUriNotAllowedError('redirectUri must be an http(s) URL');
  }
  if (url.username || url.password) {
    throw new RedirectUriNotAllowedError('redirectUri must not carry user information');
  }
  if (!tenant.allowedOrigins.includes(url.origin)) {
    throw new RedirectUriNotAllowedError(
      `redirectUri origin ${url.origin} is not one of the tenant's allowed origins`,
    );
  }
}

export interface LinkTokenServiceDependencies {
  store: LinkTokenStore;
  /** For reconnect tokens: the account must be the tenant's, of the same integration. */
  accounts: IntegratedAccountStore;
  catalogue: IntegrationCatalogue;
  publicUrl: () => string;
  ttlSeconds: number;
}

export class LinkTokenService {
  constructor(private readonly deps: LinkTokenServiceDependencies) {}

  async create(tenant: Tenant, input: CreateLinkTokenRequest, now = new Date()): Promise<LinkToken> {
    const def = this.deps.catalogue.require(input.integration);
    if (input.redirectUri !== undefined) checkRedirectUri(tenant, input.redirectUri);
    if (input.integratedAccountId !== undefined) {
      const account = await this.deps.accounts.get(tenant.id, input.integratedAccountId);
      if (!account || account.integration !== def.name) {
        throw new InvalidRequestError(
          `integratedAccountId "${input.integratedAccountId}" is not a ${def.name} account of this tenant`,
        );
      }
    }
    const expiresAt = new Date(now.getTime() + this.deps.ttlSeconds * 1000);
    const { token } = await this.deps.store.create({
      tenantId: tenant.id,
      integration: def.name,
      externalId: input.externalId ?? null,
      redirectUri: input.redirectUri ?? null,
      scopes: input.scopes ?? null,
      metadata: input.metadata ?? {},
      integratedAccountId: input.integratedAccountId ?? null,
      expiresAt,
    });
    const linkUrl = new URL(`${this.deps.publicUrl()}/link/connect`);
    linkUrl.searchParams.set('link_token', token);
    return { token, linkUrl: linkUrl.href, expiresAt: expiresAt.toISOString() };
  }
}
