/**
 * The catalogue as `GET /integrations` answers it: what a SaaS needs to build its own
 * integrations page (names, labels, categories, the fields a person fills in, the MCP tools),
 * and nothing a definition or the operator keeps to itself. Built field by field from an allow
 * list, so a property added to definitions later is not published by accident: no OAuth URLs,
 * token parameters, `apply` templates, or defaults of secret fields; of the operator's OAuth
 * apps only whether one is configured.
 * @module
 */
import { toolsOf } from '../mcp/tools.js';
import type {
  IntegrationAuthMethodSummary,
  IntegrationCategory,
  IntegrationFieldSummary,
  IntegrationList,
  IntegrationSummary,
} from '../services/api-types.js';
import type { IntegrationCatalogue } from './catalogue.js';
import type { AuthMethodDefinition, FieldDefinition, IntegrationDefinition } from './definition.js';

export interface ListingOptions {
  /** Only integrations of this category. */
  category?: IntegrationCategory;
  /** Whether the operator configured an OAuth app (client id and secret) for an integration. */
  hasOAuthClient: (integration: string) => boolean;
}

function fieldSummary(field: FieldDefinition): IntegrationFieldSummary {
  const secret = field.secret === true;
  return {
    name: field.name,
    label: field.label,
    ...(field.help === undefined ? {} : { help: field.help }),
    ...(field.helpUrl === undefined ? {} : { helpUrl: field.helpUrl }),
    required: field.required !== false && field.default === undefined,
    secret,
    ...(field.pattern === undefined ? {} : { pattern: field.pattern }),
    ...(field.placeholder === undefined ? {} : { placeholder: field.placeholder }),
    // A secret's default would be a shared credential: never published.
    ...(field.default === undefined || secret ? {} : { default: field.default }),
    ...(field.options === undefined
      ? {}
      : { options: field.options.map((option) => ({ value: option.value, label: option.label })) }),
  };
}

function authMethodSummary(
  def: IntegrationDefinition,
  method: AuthMethodDefinition,
  hasOAuthClient: (integration: string) => boolean,
): IntegrationAuthMethodSummary {
  // Entered fields only: OAuth tokens and token-response values come from the provider.
  const signIn = method.format === 'oauth2' && method.oauth2?.grant === 'authorization_code';
  return {
    format: method.format,
    label: method.label,
    ...(method.help === undefined ? {} : { help: method.help }),
    ...(method.helpUrl === undefined ? {} : { helpUrl: method.helpUrl }),
    fields: (method.fields ?? []).map(fieldSummary),
    ...(signIn ? { oauthClientConfigured: hasOAuthClient(def.name) } : {}),
  };
}

/** One integration as the catalogue listing shows it. */
export function integrationSummary(
  def: IntegrationDefinition,
  hasOAuthClient: (integration: string) => boolean,
): IntegrationSummary {
  return {
    name: def.name,
    label: def.label,
    ...(def.category === undefined ? {} : { category: def.category as IntegrationCategory }),
    ...(def.docsUrl === undefined ? {} : { docsUrl: def.docsUrl }),
    authMethods: def.authMethods.map((method) => authMethodSummary(def, method, hasOAuthClient)),
    tools: toolsOf(def).map((tool) => ({ name: tool.name, group: tool.group })),
  };
}

/** The whole catalogue (every tenant sees all of it), by name, optionally one category. */
export function listIntegrations(catalogue: IntegrationCatalogue, options: ListingOptions): IntegrationList {
  const data: IntegrationSummary[] = [];
  for (const name of catalogue.names()) {
    const def = catalogue.require(name);
    if (options.category !== undefined && def.category !== options.category) continue;
    data.push(integrationSummary(def, options.hasOAuthClient));
  }
  return { data };
}
