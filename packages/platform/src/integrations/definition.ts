/**
 * The shape of an integration definition, as `integrations/definition.schema.json` describes
 * it. The schema is the authority: definitions are validated against it when loaded.
 * @module
 */

export interface FieldDefinition {
  name: string;
  label: string;
  help?: string;
  secret?: boolean;
  required?: boolean;
  pattern?: string;
  placeholder?: string;
  default?: string;
}

export interface ApplyDefinition {
  headers?: Record<string, string>;
  query?: Record<string, string>;
  basic?: { username: string; password: string };
}

export interface OAuth2Definition {
  grant: 'authorization_code' | 'client_credentials';
  authorizeUrl?: string;
  tokenUrl: string;
  scopes?: string[];
  scopeSeparator?: string;
  pkce?: boolean;
  clientAuth?: 'body' | 'basic';
  authorizeParams?: Record<string, string>;
  tokenParams?: Record<string, string>;
  tokenResponseFields?: FieldDefinition[];
}

export type AuthFormat = 'api_key' | 'basic' | 'oauth2' | 'oauth2_client_credentials';

export interface AuthMethodDefinition {
  format: AuthFormat;
  label: string;
  help?: string;
  fields?: FieldDefinition[];
  oauth2?: OAuth2Definition;
  apply: ApplyDefinition;
}

export interface RequestDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface PostInstallStepDefinition {
  id: string;
  description?: string;
  request: RequestDefinition;
  timeoutMs?: number;
  context?: Record<string, string>;
}

export interface MethodDefinition {
  name: string;
  description: string;
  request: RequestDefinition;
  input?: Record<string, unknown>;
}

export interface IntegrationDefinition {
  name: string;
  label: string;
  category?: string;
  docsUrl?: string;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Cap on one provider answer in bytes (default 1 MiB). */
  maxResponseBytes?: number;
  authMethods: AuthMethodDefinition[];
  postInstall?: PostInstallStepDefinition[];
  methods?: MethodDefinition[];
}
