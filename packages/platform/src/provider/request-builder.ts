/**
 * Turns a definition's request and one call's arguments into the exact HTTP request to send:
 * URL (base, path and query templates), headers, the auth method's credentials and the JSON
 * body. Pure and synchronous, so contract tests compare what a definition produces with the
 * provider's documented requests without any network; `callProvider` sends what it returns.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type {
  AuthMethodDefinition,
  IntegrationDefinition,
  PaginationDefinition,
  RequestDefinition,
} from '../integrations/definition.js';
import {
  placeholdersOf,
  renderOptionalTemplate,
  renderTemplate,
  type TemplateValues,
  templateFixesOrigin,
} from '../integrations/template.js';
import { paginationParamOf } from './pagination.js';

export interface PreparedRequest {
  method: RequestDefinition['method'];
  url: URL;
  headers: Headers;
  /** The JSON text of the body, if any. */
  body: string | undefined;
  /** The URL's host came from a value rather than the definition: send it through the outbound guard. */
  guarded: boolean;
}

export interface PrepareOptions {
  /** The call's arguments (tool input). */
  input?: Readonly<Record<string, unknown>>;
  /** The method's paging, when a paging argument may carry a next page's URL. */
  pagination?: PaginationDefinition | undefined;
  /**
   * The body to send as it is, instead of the request's body template (post-install steps have
   * no arguments; callers with a ready body pass it here).
   */
  body?: unknown;
}

/** Account values templates read: context first, credentials over it (never the reverse). */
export function accountValues(
  credentials: Readonly<Record<string, string>>,
  context: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return { ...context, ...credentials };
}

export function applyAuth(method: AuthMethodDefinition, values: TemplateValues, url: URL, headers: Headers) {
  for (const [name, template] of Object.entries(method.apply.headers ?? {})) {
    headers.set(name, renderTemplate(template, values));
  }
  for (const [name, template] of Object.entries(method.apply.query ?? {})) {
    url.searchParams.set(name, renderTemplate(template, values));
  }
  if (method.apply.basic) {
    const user = renderTemplate(method.apply.basic.username, values);
    const password =
      method.apply.basic.password === '' ? '' : renderTemplate(method.apply.basic.password, values);
    headers.set('Authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
  }
}

const ARG_REF = /^\$args\.([A-Za-z_][A-Za-z0-9_]*)$/;
const CONTEXT_REF = /^\$context\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** The argument names a body template names one by one (`$args.<name>`). */
export function bodyArgumentsOf(template: unknown): string[] {
  if (typeof template === 'string') {
    const match = ARG_REF.exec(template);
    return match ? [match[1] as string] : [];
  }
  if (Array.isArray(template)) return template.flatMap(bodyArgumentsOf);
  if (template !== null && typeof template === 'object')
    return Object.values(template).flatMap(bodyArgumentsOf);
  return [];
}

const ABSENT = Symbol('absent');

function renderBody(
  template: unknown,
  input: Readonly<Record<string, unknown>>,
  rest: Readonly<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>>,
): unknown {
  if (typeof template === 'string') {
    if (template === '$args') return rest;
    const arg = ARG_REF.exec(template);
    if (arg) {
      const name = arg[1] as string;
      return Object.hasOwn(input, name) && input[name] !== undefined ? input[name] : ABSENT;
    }
    const key = CONTEXT_REF.exec(template);
    if (key) {
      const name = key[1] as string;
      return Object.hasOwn(context, name) && context[name] !== undefined ? context[name] : ABSENT;
    }
    return template;
  }
  if (Array.isArray(template)) {
    return template.map((t) => renderBody(t, input, rest, context)).filter((v) => v !== ABSENT);
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(template)) {
      const value = renderBody(t, input, rest, context);
      if (value !== ABSENT) out[k] = value;
    }
    return out;
  }
  return template;
}

/**
 * A next page's URL given back as a paging argument: relative ones are resolved against the
 * base, and only the base's own origin is accepted, so an argument cannot send the account's
 * credentials to another host.
 */
function pageUrlOf(value: string, base: URL): URL | undefined {
  if (!/^(https?:\/\/|\/)/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new InvalidArgumentError('the next-page URL is not a valid URL');
  }
  if (url.origin !== base.origin) {
    throw new InvalidArgumentError(`the next-page URL must stay on ${base.origin}`);
  }
  return url;
}

export function prepareProviderRequest(
  definition: IntegrationDefinition,
  method: AuthMethodDefinition,
  values: TemplateValues,
  request: RequestDefinition,
  options: PrepareOptions = {},
): PreparedRequest {
  const input = options.input ?? {};
  // Path placeholders take tool arguments (encoded); the base takes account values as they are.
  const pathValues = { ...values, ...input };
  const absolute = /^https?:\/\//.test(request.path);
  const base = new URL(absolute ? request.path : renderTemplate(definition.baseUrl, values));
  const pageParam = options.pagination ? paginationParamOf(options.pagination) : undefined;
  const pageValue = pageParam === undefined ? undefined : input[pageParam];
  const pageUrl =
    typeof pageValue === 'string' &&
    options.pagination &&
    ['link_header', 'next_url'].includes(options.pagination.style)
      ? pageUrlOf(pageValue, base)
      : undefined;

  const used = new Set<string>();
  let url: URL;
  if (pageUrl) {
    // The provider's own next-page URL carries every parameter of the next page already.
    url = pageUrl;
    if (pageParam) used.add(pageParam);
  } else {
    for (const name of placeholdersOf(request.path)) {
      // A whole segment of `.` or `..` survives encoding and the URL parser would climb out of the path.
      if (pathValues[name] === '.' || pathValues[name] === '..') {
        throw new InvalidArgumentError(`"${name}" cannot be "${String(pathValues[name])}"`);
      }
    }
    const path = renderTemplate(request.path, pathValues, { encode: true });
    url = absolute
      ? new URL(path)
      : new URL(renderTemplate(definition.baseUrl, values).replace(/\/$/, '') + path);
    for (const name of placeholdersOf(request.path)) used.add(name);
    for (const [name, template] of Object.entries(request.query ?? {})) {
      for (const p of placeholdersOf(template)) used.add(p);
      const value = renderOptionalTemplate(template, pathValues);
      if (value !== undefined) url.searchParams.set(name, value);
    }
  }

  const headers = new Headers();
  for (const [name, template] of Object.entries({ ...definition.headers, ...request.headers })) {
    headers.set(name, renderTemplate(template, values));
  }
  applyAuth(method, values, url, headers);

  let body: unknown;
  if (options.body !== undefined) {
    body = options.body;
  } else if (request.method !== 'GET' && request.method !== 'DELETE') {
    const named = new Set(request.body === undefined ? [] : bodyArgumentsOf(request.body));
    const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !used.has(k) && !named.has(k)));
    body = request.body === undefined ? rest : renderBody(request.body, input, rest, values);
  }
  let text: string | undefined;
  if (body !== undefined) {
    // A declared JSON media type (JSON:API's application/vnd.api+json) stays as declared.
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    text = JSON.stringify(body);
  }
  return {
    method: request.method,
    url,
    headers,
    body: text,
    guarded: !templateFixesOrigin(absolute ? request.path : definition.baseUrl),
  };
}
