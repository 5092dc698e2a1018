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
  /** The values the field may take (shown as a select). */
  options?: Array<{ value: string; label: string }>;
  /** The provider's page that says where to find the value. */
  helpUrl?: string;
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
  /** The provider's page about these credentials. */
  helpUrl?: string;
  fields?: FieldDefinition[];
  oauth2?: OAuth2Definition;
  apply: ApplyDefinition;
}

export interface RequestDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body template (`$args.<name>`, `$args`, `$context.<key>`). */
  body?: unknown;
}

/** Where in a provider answer a value is: `$response.body.<path>` or `$response.headers.<name>`. */
export type AnswerPath = string;

export interface PaginationDefinition {
  style: 'cursor' | 'link_header' | 'next_url' | 'offset' | 'page';
  /** The tool argument that takes the next value. */
  param?: string;
  cursorPath?: AnswerPath;
  nextUrlPath?: AnswerPath;
  itemsPath?: AnswerPath;
  hasMorePath?: AnswerPath;
  totalPagesPath?: AnswerPath;
  limitParam?: string;
}

export interface RateLimitDefinition {
  statuses?: number[];
  retryAfterHeader?: string;
  resetHeader?: string;
  resetFormat?: 'epoch_seconds' | 'seconds' | 'epoch_milliseconds' | 'date' | 'ratelimit_header';
  /** Statuses that are throttling only when `remainingHeader` reads 0 (GitHub's 403). */
  exhaustedStatuses?: number[];
  remainingHeader?: string;
  /** A body value that means throttling whatever the status (Google's 403, Linear's RATELIMITED). */
  bodyCode?: { path: AnswerPath; values: string[] };
  /** The first wait when a throttled answer names none, doubled on each retry. */
  backoffMs?: number;
  maxRetries?: number;
  maxWaitMs?: number;
  docsUrl?: string;
}

export interface BodyErrorsDefinition {
  okPath?: AnswerPath;
  errorsPath?: AnswerPath;
  messagePath?: AnswerPath;
}

export interface PostInstallStepDefinition {
  id: string;
  description?: string;
  request: RequestDefinition;
  /** One item of a listed answer, read by the context as `$selected.<path>`. */
  select?: { items: AnswerPath; where?: Record<string, string> };
  timeoutMs?: number;
  context?: Record<string, string>;
}

export interface MethodDefinition {
  name: string;
  description: string;
  request: RequestDefinition;
  input?: Record<string, unknown>;
  /** Only reads, whatever the HTTP method (GraphQL queries, POST searches). */
  readOnly?: boolean;
  pagination?: PaginationDefinition;
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
  rateLimit?: RateLimitDefinition;
  bodyErrors?: BodyErrorsDefinition;
  /** What was compared with the provider's docs, and when. */
  verification?: { checked: string; sources: string[]; notes?: string };
}
