/**
 * Integrated accounts: creation from credentials (checked against the integration's
 * definition, then post-install actions), reads, lists, deletion, and re-running post-install.
 * Credentials are sealed with the account id bound in; they never leave this module in a
 * response.
 * @module
 */
import type { Logger } from 'pino';
import type { CredentialCipher } from '../crypto/credential-cipher.js';
import { generateId } from '../crypto/tokens.js';
import { NotFoundError, PostInstallError, UnknownMethodError } from '../errors.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import { type Credentials, resolveCredentials } from '../integrations/credentials.js';
import type { AuthMethodDefinition, IntegrationDefinition } from '../integrations/definition.js';
import { runPostInstallActions } from '../provider/post-install.js';
import type { ProviderAccount } from '../provider/provider-client.js';
import { callProvider, type ProviderResponse } from '../provider/provider-client.js';
import { needsRefresh, ReauthRequiredError, refreshCredentials } from '../provider/token-refresh.js';
import type { AccountRow, AccountStatus, IntegratedAccountStore } from '../store/integrated-accounts.js';
import type { Tenant } from '../store/tenants.js';
import type { NewWebhookEvent, WebhookEventType } from '../store/webhook-events.js';
import type {
  CreateIntegratedAccountRequest,
  IntegratedAccount,
  IntegratedAccountListResponse,
} from './api-types.js';

export function toIntegratedAccount(row: AccountRow): IntegratedAccount {
  return {
    id: row.id,
    integration: row.integration,
    status: row.status,
    name: row.name,
    context: { ...row.context },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.external_id === null ? {} : { externalId: row.external_id }),
    ...(row.status_reason === null ? {} : { statusReason: row.status_reason }),
  };
}

export interface PostInstallOutcome {
  status: AccountStatus;
  statusReason: string | null;
  context: Record<string, unknown>;
  /** Why post-install failed, when it did. */
  error?: PostInstallError;
}

export interface IntegratedAccountServiceDependencies {
  store: IntegratedAccountStore;
  catalogue: IntegrationCatalogue;
  cipher: CredentialCipher;
  logger: Logger;
  /** Told when webhook events were written, so delivery can start at once. */
  onEvents?: () => void;
  /** OAuth clients by integration, for token refreshes. */
  oauthClients?: ReadonlyMap<string, { clientId: string; clientSecret: string }>;
}

export class IntegratedAccountService {
  private readonly store: IntegratedAccountStore;
  private readonly catalogue: IntegrationCatalogue;
  private readonly cipher: CredentialCipher;
  private readonly logger: Logger;
  private readonly onEvents: () => void;
  private readonly oauthClients: ReadonlyMap<string, { clientId: string; clientSecret: string }>;

  constructor(deps: IntegratedAccountServiceDependencies) {
    this.store = deps.store;
    this.catalogue = deps.catalogue;
    this.cipher = deps.cipher;
    this.logger = deps.logger;
    this.onEvents = deps.onEvents ?? (() => undefined);
    this.oauthClients = deps.oauthClients ?? new Map();
  }

  /** Refreshes in flight, by account: one per account in this process. */
  readonly #refreshing = new Map<string, Promise<Credentials>>();

  /** An account's credentials, refreshed first when an OAuth access token is about to expire. */
  async credentialsFor(tenant: Tenant, row: AccountRow): Promise<Credentials> {
    if (row.credentials === null)
      throw new ReauthRequiredError(`integrated account "${row.id}" has no credentials`);
    const credentials = this.cipher.openJson<Credentials>(row.credentials, row.id);
    if (row.auth_format !== 'oauth2' || !needsRefresh(credentials)) return credentials;
    let refreshing = this.#refreshing.get(row.id);
    if (!refreshing) {
      refreshing = this.#refresh(tenant, row).finally(() => this.#refreshing.delete(row.id));
      this.#refreshing.set(row.id, refreshing);
    }
    return refreshing;
  }

  async #refresh(tenant: Tenant, row: AccountRow): Promise<Credentials> {
    const def = this.definitionOf(row.integration);
    const method = def.authMethods.find((m) => m.format === 'oauth2');
    const client = this.oauthClients.get(def.name);
    try {
      return await this.store.withLockedRow(tenant.id, row.id, async (locked, db) => {
        if (!locked?.credentials)
          throw new ReauthRequiredError(`integrated account "${row.id}" has no credentials`);
        const current = this.cipher.openJson<Credentials>(locked.credentials, row.id);
        // Another process may have refreshed while this one waited for the lock.
        if (!needsRefresh(current)) return current;
        if (!method || !client)
          throw new ReauthRequiredError(`${def.name} has no OAuth client to refresh with`);
        const next = await refreshCredentials(method, current, client);
        await this.store.saveCredentials(db, tenant.id, row.id, this.cipher.sealJson(next, row.id));
        this.logger.info({ integratedAccountId: row.id }, 'access token refreshed');
        return next;
      });
    } catch (error) {
      if (error instanceof ReauthRequiredError) {
        await this.store.updateState(
          tenant.id,
          row.id,
          {
            status: 'error',
            statusReason: `reconnect needed: ${error.message}`,
            context: row.context,
          },
          this.#events(tenant, ['integrated_account:reauth_required'], {
            id: row.id,
            integration: row.integration,
            status: 'error',
            externalId: row.external_id,
            statusReason: error.message,
          }),
        );
        this.onEvents();
        this.logger.warn(
          { integratedAccountId: row.id, reason: error.message },
          'refresh refused: reconnect needed',
        );
      }
      throw error;
    }
  }

  /** Runs one of the integration's methods for an account (what an MCP tool does). */
  async callMethod(
    tenant: Tenant,
    id: string,
    methodName: string,
    input: Record<string, unknown> = {},
    /** The account's row when the caller just read it (the MCP endpoint): saves a second read. */
    loaded?: AccountRow,
  ): Promise<ProviderResponse> {
    const row = loaded?.id === id && loaded.tenant_id === tenant.id ? loaded : await this.row(tenant, id);
    const def = this.definitionOf(row.integration);
    const methodDef = def.methods?.find((m) => m.name === methodName);
    if (!methodDef) throw new UnknownMethodError(`${def.name} has no method "${methodName}"`);
    const authMethod = def.authMethods.find((m) => m.format === row.auth_format);
    if (!authMethod)
      throw new ReauthRequiredError(`auth method "${row.auth_format}" is no longer offered by ${def.name}`);
    const credentials = await this.credentialsFor(tenant, row);
    return callProvider(
      {
        definition: def,
        method: authMethod,
        credentials,
        context: row.context,
      },
      methodDef.request,
      { input, ...(methodDef.pagination === undefined ? {} : { pagination: methodDef.pagination }) },
    );
  }

  /** The webhook events of a change; none when the tenant has no webhook URL. */
  #events(
    tenant: Tenant,
    types: WebhookEventType[],
    account: {
      id: string;
      integration: string;
      status: string;
      externalId: string | null;
      statusReason: string | null;
    },
  ): NewWebhookEvent[] {
    if (!tenant.webhookUrl) return [];
    const data = {
      integratedAccountId: account.id,
      integration: account.integration,
      status: account.status,
      ...(account.externalId ? { externalId: account.externalId } : {}),
      ...(account.statusReason ? { statusReason: account.statusReason } : {}),
    };
    return types.map((type) => ({ tenantId: tenant.id, type, data }));
  }

  /** The event that reports a post-install outcome. */
  static outcomeEvent(status: string): WebhookEventType {
    return status === 'active' ? 'integrated_account:active' : 'integrated_account:post_install_error';
  }

  definitionOf(integration: string): IntegrationDefinition {
    return this.catalogue.require(integration);
  }

  async create(tenant: Tenant, input: CreateIntegratedAccountRequest): Promise<IntegratedAccount> {
    const def = this.definitionOf(input.integration);
    const { method, credentials } = resolveCredentials(def, input.credentials, input.authFormat);
    const id = generateId('acc');
    const outcome = await this.postInstall(
      { definition: def, method, credentials, context: {} },
      { integratedAccountId: id },
    );
    const row = await this.insert(tenant, { id, def, method, credentials, outcome, name: input.name });
    return toIntegratedAccount(row);
  }

  /**
   * Stores an account whose credentials were already checked and whose post-install steps
   * already ran (the connect pages do both before anything is created).
   */
  async insert(
    tenant: Tenant,
    input: {
      id: string;
      def: IntegrationDefinition;
      method: AuthMethodDefinition;
      credentials: Credentials;
      outcome: PostInstallOutcome;
      name?: string | undefined;
      externalId?: string | null;
      metadata?: Record<string, unknown>;
    },
  ): Promise<AccountRow> {
    const row = await this.store.insert(
      {
        id: input.id,
        tenantId: tenant.id,
        integration: input.def.name,
        authFormat: input.method.format,
        name: input.name ?? input.def.label,
        status: input.outcome.status,
        statusReason: input.outcome.statusReason,
        externalId: input.externalId ?? null,
        context: input.outcome.context,
        metadata: input.metadata ?? {},
        sealedCredentials: this.cipher.sealJson(input.credentials, input.id),
      },
      this.#events(
        tenant,
        ['integrated_account:created', IntegratedAccountService.outcomeEvent(input.outcome.status)],
        {
          id: input.id,
          integration: input.def.name,
          status: input.outcome.status,
          externalId: input.externalId ?? null,
          statusReason: input.outcome.statusReason,
        },
      ),
    );
    this.onEvents();
    this.logger.info(
      { tenantId: tenant.id, integratedAccountId: input.id, integration: input.def.name, status: row.status },
      'integrated account created',
    );
    return row;
  }

  async get(tenant: Tenant, id: string): Promise<IntegratedAccount> {
    return toIntegratedAccount(await this.row(tenant, id));
  }

  async list(
    tenant: Tenant,
    query: { integration?: string; status?: AccountStatus; page: number; limit: number },
  ): Promise<IntegratedAccountListResponse> {
    // An integration outside the catalogue cannot have accounts: say so instead of an empty page.
    if (query.integration !== undefined) this.definitionOf(query.integration);
    const { rows, total } = await this.store.list(
      tenant.id,
      { integration: query.integration, status: query.status },
      { page: query.page, limit: query.limit },
    );
    return { data: rows.map(toIntegratedAccount), total, page: query.page, limit: query.limit };
  }

  async delete(tenant: Tenant, id: string): Promise<void> {
    const row = await this.store.get(tenant.id, id);
    const events = row
      ? this.#events(tenant, ['integrated_account:deleted'], {
          id,
          integration: row.integration,
          status: row.status,
          externalId: row.external_id,
          statusReason: null,
        })
      : [];
    if (!row || !(await this.store.delete(tenant.id, id, events))) throw this.notFound(id);
    this.onEvents();
    this.logger.info({ tenantId: tenant.id, integratedAccountId: id }, 'integrated account deleted');
  }

  /** Runs the post-install steps again; a failing step leaves the account in `error`. */
  async runPostInstall(tenant: Tenant, id: string): Promise<IntegratedAccount> {
    const row = await this.row(tenant, id);
    const def = this.definitionOf(row.integration);
    const method = def.authMethods.find((m) => m.format === row.auth_format);
    if (!method || row.credentials === null) {
      const updated = await this.store.updateState(tenant.id, id, {
        status: 'error',
        statusReason: `auth method "${row.auth_format}" is no longer offered by ${def.name}; reconnect the account`,
        context: row.context,
      });
      return toIntegratedAccount(updated ?? row);
    }
    const credentials = await this.credentialsFor(tenant, row);
    const outcome = await this.postInstall(
      { definition: def, method, credentials, context: row.context },
      { integratedAccountId: id },
    );
    // Report a change of standing: errors always, becoming active only from another status.
    const report = outcome.status === 'error' || row.status !== 'active';
    const events = report
      ? this.#events(tenant, [IntegratedAccountService.outcomeEvent(outcome.status)], {
          id,
          integration: row.integration,
          status: outcome.status,
          externalId: row.external_id,
          statusReason: outcome.statusReason,
        })
      : [];
    const updated = await this.store.updateState(tenant.id, id, outcome, events);
    this.onEvents();
    if (!updated) throw this.notFound(id);
    return toIntegratedAccount(updated);
  }

  /**
   * Re-authenticates an existing account (a reconnect link token): new credentials, the same id,
   * its context kept and updated by the new post-install run.
   */
  async reconnect(
    tenant: Tenant,
    id: string,
    input: { method: AuthMethodDefinition; credentials: Credentials; outcome: PostInstallOutcome },
  ): Promise<AccountRow | undefined> {
    const before = await this.store.get(tenant.id, id);
    if (!before) return undefined;
    const row = await this.store.updateState(
      tenant.id,
      id,
      {
        status: input.outcome.status,
        statusReason: input.outcome.statusReason,
        context: { ...before.context, ...input.outcome.context },
        credentials: { sealed: this.cipher.sealJson(input.credentials, id), authFormat: input.method.format },
      },
      this.#events(tenant, [IntegratedAccountService.outcomeEvent(input.outcome.status)], {
        id,
        integration: before.integration,
        status: input.outcome.status,
        externalId: before.external_id,
        statusReason: input.outcome.statusReason,
      }),
    );
    this.onEvents();
    this.logger.info(
      { tenantId: tenant.id, integratedAccountId: id, status: row?.status },
      'integrated account reconnected',
    );
    return row;
  }

  /**
   * Runs post-install for a connection; a failure is an outcome, not an exception.
   * @param logFields what to log a failure with (the account id, once there is one).
   */
  async postInstall(
    account: ProviderAccount,
    logFields: Record<string, unknown> = {},
  ): Promise<PostInstallOutcome> {
    try {
      const context = await runPostInstallActions(account);
      return { status: 'active', statusReason: null, context };
    } catch (error) {
      if (!(error instanceof PostInstallError)) throw error;
      this.logger.warn(
        { ...logFields, integration: account.definition.name, step: error.step, reason: error.message },
        'post-install failed',
      );
      return { status: 'error', statusReason: error.message, context: { ...account.context }, error };
    }
  }

  private async row(tenant: Tenant, id: string): Promise<AccountRow> {
    const row = await this.store.get(tenant.id, id);
    if (!row) throw this.notFound(id);
    return row;
  }

  private notFound(id: string): NotFoundError {
    return new NotFoundError(`integrated account "${id}" was not found`);
  }
}
