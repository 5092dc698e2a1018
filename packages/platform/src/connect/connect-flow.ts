/**
 * The connect flow's domain, without HTTP: opening a flow from its parameters and link token,
 * recording where it stands for the status channel, and completing it — the link token consumed
 * exactly once, the account created (or reconnected), the result signed.
 * @module
 */
import { FLOW_MODES, FLOW_PARAMS, type FlowOutcomeBody } from '@truto-connect/widget/protocol';
import type { Logger } from 'pino';
import { generateId } from '../crypto/tokens.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import { credentialFieldsOf } from '../integrations/catalogue.js';
import type { Credentials } from '../integrations/credentials.js';
import type { AuthMethodDefinition, IntegrationDefinition } from '../integrations/definition.js';
import type { OAuthClient } from '../provider/oauth-authorization.js';
import type { IntegratedAccountService, PostInstallOutcome } from '../services/integrated-accounts.js';
import { signConnectResult } from '../signing/connect-result.js';
import type { SigningKeys } from '../signing/signing-keys.js';
import { type LinkFlowStore, type RecordResult, STATUS_HASH_PATTERN } from '../store/link-flows.js';
import type { LinkTokenRow, LinkTokenStore } from '../store/link-tokens.js';
import type { OAuthStateStore } from '../store/oauth-states.js';
import type { Tenant, TenantStore } from '../store/tenants.js';
import { type Locale, pickLocale, type Translate, translator } from './messages.js';
import type { CsrfTokens } from './page-security.js';
import type { OfferedMethod } from './pages.js';

const MODES: ReadonlySet<string> = new Set(FLOW_MODES);
/** How long a flow's status stays readable. */
const FLOW_TTL_MS = 30 * 60_000;

export type { OAuthClient as OAuthClientCredentials } from '../provider/oauth-authorization.js';

export interface ConnectDependencies {
  catalogue: IntegrationCatalogue;
  tenants: TenantStore;
  linkTokens: LinkTokenStore;
  linkFlows: LinkFlowStore;
  oauthStates: OAuthStateStore;
  accounts: IntegratedAccountService;
  signingKeys: SigningKeys;
  csrf: CsrfTokens;
  oauthClients: ReadonlyMap<string, OAuthClient>;
  publicUrl: () => string;
  logger: Logger;
}

/** A flow whose link token can be used. */
export interface OpenedFlow {
  token: LinkTokenRow;
  tenant: Tenant;
  def: IntegrationDefinition;
  /** The widget's origin, when it is one of the tenant's allowed origins. */
  origin: string | undefined;
  mode: 'popup' | 'modal' | 'redirect';
  nonce: string | undefined;
  /** The hash of the widget's status secret: the flow's key on the status channel. */
  statusHash: string | undefined;
  locale: Locale;
  t: Translate;
}

/** A flow whose link token is used, expired or unknown. */
export interface ExpiredFlow {
  expired: true;
  origin: undefined;
  mode: string;
  nonce: string | undefined;
  locale: Locale;
  t: Translate;
  tenant?: Tenant;
}

/** How a flow ended, as the widget receives it (the wire protocol's shape). */
export type Outcome = FlowOutcomeBody;

export const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export class ConnectFlows {
  constructor(private readonly deps: ConnectDependencies) {}

  /** The methods the pages offer: form methods, and OAuth where a client is configured. */
  methodsOf(def: IntegrationDefinition): OfferedMethod[] {
    return def.authMethods
      .filter(
        (m) =>
          m.format !== 'oauth2' ||
          (m.oauth2?.grant === 'authorization_code' && this.deps.oauthClients.has(def.name)),
      )
      .map((m) => ({
        format: m.format,
        label: m.label,
        ...(m.help ? { help: m.help } : {}),
        ...(m.helpUrl ? { helpUrl: m.helpUrl } : {}),
        fields: m.format === 'oauth2' ? (m.fields ?? []) : credentialFieldsOf(m),
        oauth: m.format === 'oauth2',
      }));
  }

  /** Reads the flow's parameters and its link token. */
  async open(
    params: Record<string, unknown>,
    acceptLanguage: string | undefined,
  ): Promise<OpenedFlow | ExpiredFlow> {
    const locale = pickLocale(params.lang, acceptLanguage);
    const t = translator(locale);
    const rawMode = text(params.mode);
    const mode = (MODES.has(rawMode) ? rawMode : 'redirect') as OpenedFlow['mode'];
    const nonce = /^[A-Za-z0-9_-]{16,64}$/.test(text(params.nonce)) ? text(params.nonce) : undefined;
    const statusHash = STATUS_HASH_PATTERN.test(text(params[FLOW_PARAMS.statusHash]))
      ? text(params[FLOW_PARAMS.statusHash])
      : undefined;
    const token = await this.deps.linkTokens.findUsable(text(params.link_token));
    const tenant = token ? await this.deps.tenants.get(token.tenant_id) : undefined;
    const requested = text(params.origin);
    const origin = tenant && requested && tenant.allowedOrigins.includes(requested) ? requested : undefined;
    const def = token ? this.deps.catalogue.get(token.integration) : undefined;
    if (!token || !tenant || !def) {
      return { expired: true, origin: undefined, mode, nonce, locale, t, ...(tenant ? { tenant } : {}) };
    }
    return { token, tenant, def, origin, mode, nonce, statusHash, locale, t };
  }

  /**
   * Records where the flow stands, for the status channel, under the widget's status hash and
   * bound to this flow's link token. `unrecorded` for a flow without a status hash (redirect).
   */
  async record(
    opened: OpenedFlow,
    state: 'pending' | 'provider' | 'success' | 'error',
    outcome: Outcome | null,
  ): Promise<RecordResult | 'unrecorded'> {
    if (!opened.statusHash) return 'unrecorded';
    return this.deps.linkFlows.record(
      opened.statusHash,
      { tenantId: opened.tenant.id, linkTokenHash: opened.token.token_hash },
      state,
      outcome as Record<string, unknown> | null,
      new Date(Date.now() + FLOW_TTL_MS),
    );
  }

  /**
   * Completes a flow whose credentials were checked and whose post-install ran: consumes the link
   * token (once, across processes), creates or reconnects the account, signs the result.
   * `expired` when the token was used meanwhile or its reconnect target is gone.
   */
  async complete(
    o: OpenedFlow,
    linkToken: string,
    method: AuthMethodDefinition,
    credentials: Credentials,
    outcome: PostInstallOutcome,
  ): Promise<Outcome | 'expired'> {
    const consumed = await this.deps.linkTokens.consume(linkToken);
    if (!consumed) return 'expired';
    // A reconnect token re-authenticates its account; any other creates one.
    const reconnected = consumed.integrated_account_id
      ? await this.deps.accounts.reconnect(o.tenant, consumed.integrated_account_id, {
          method,
          credentials,
          outcome,
        })
      : undefined;
    if (consumed.integrated_account_id && !reconnected) return 'expired';
    const row =
      reconnected ??
      (await this.deps.accounts.insert(o.tenant, {
        id: generateId('acc'),
        def: o.def,
        method,
        credentials,
        outcome,
        externalId: consumed.external_id,
        metadata: consumed.metadata,
      }));
    const result = await signConnectResult(this.deps.signingKeys, this.deps.publicUrl(), {
      tenantId: o.tenant.id,
      integratedAccountId: row.id,
      integration: row.integration,
      externalId: row.external_id,
      status: row.status,
    });
    if (row.status === 'active') {
      return {
        type: 'success',
        integratedAccountId: row.id,
        integration: row.integration,
        result,
        status: row.status,
      };
    }
    return {
      type: 'error',
      code: 'post_install_error',
      message: o.t('postInstallFailed', { integration: o.def.label, reason: row.status_reason ?? '' }),
      integratedAccountId: row.id,
      result,
    };
  }
}
