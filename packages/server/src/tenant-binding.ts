/**
 * Which tenant this helper serves. A result's or webhook's `aud` must be this tenant's id, but
 * the Admin API has no "who am I" call, and the API token does not contain the id. So, unless
 * `tenantId` is configured, the helper learns it from the first signed token whose account the
 * Admin API shows to this helper's token: accounts of other tenants answer 404 to it, so another
 * tenant of the same platform can never make the helper adopt its id. Once learned, the id is
 * pinned and every token is checked against it by jose before anything else.
 * @module
 */
import type { AdminClient, IntegratedAccount } from './admin-client.js';
import { AdminApiError, TrutoConnectError } from './errors.js';

export class TenantBinding {
  #tenantId: string | undefined;
  readonly #admin: AdminClient;

  constructor(admin: AdminClient, tenantId?: string) {
    this.#admin = admin;
    this.#tenantId = tenantId;
  }

  /** The tenant id, once configured or learned. */
  get tenantId(): string | undefined {
    return this.#tenantId;
  }

  /**
   * The account, fetched with this helper's token. A 404 means another tenant's account when
   * the tenant is not yet known (`wrong_tenant`), else a deleted one (`account_not_found`).
   * A success proves `audience` is this tenant's id and pins it.
   */
  async account(accountId: string, audience: string): Promise<IntegratedAccount> {
    let account: IntegratedAccount;
    try {
      account = await this.#admin.getIntegratedAccount(accountId);
    } catch (error) {
      if (error instanceof AdminApiError && error.status === 404) {
        throw this.#tenantId === undefined
          ? new TrutoConnectError('wrong_tenant', 'the account is not one of this tenant', { cause: error })
          : new TrutoConnectError('account_not_found', 'the account no longer exists', { cause: error });
      }
      throw fromAdminError(error);
    }
    if (this.#tenantId === undefined) this.#tenantId = audience;
    else if (this.#tenantId !== audience) {
      throw new TrutoConnectError('wrong_tenant', 'the token was issued for another tenant');
    }
    return account;
  }
}

/** An Admin API failure as the helper answers it: the platform's code in the message, 502. */
export function fromAdminError(error: unknown): TrutoConnectError {
  if (error instanceof TrutoConnectError) return error;
  if (error instanceof AdminApiError) {
    return new TrutoConnectError(
      'platform_error',
      `the platform answered ${error.status} ${error.error}: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  return new TrutoConnectError('internal_error', 'the Admin API call failed', { cause: error });
}
