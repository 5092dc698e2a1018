/**
 * Checks credentials against the integration's auth methods: the values given for a new account
 * through the Admin API (picking the method they are for), and the fields an end user typed into
 * a connect page (each one missing or invalid, for inline errors).
 * @module
 */
import { InvalidCredentialError, InvalidRequestError, MissingCredentialError } from '../errors.js';
import { credentialFieldsOf, fieldPattern } from './catalogue.js';
import type { AuthMethodDefinition, FieldDefinition, IntegrationDefinition } from './definition.js';

export type Credentials = Record<string, string>;

export interface ResolvedCredentials {
  method: AuthMethodDefinition;
  credentials: Credentials;
}

/**
 * The longest token lifetime taken from a client or a provider (ten years): `expires_in: 1e300`
 * would otherwise make a date that cannot be written down.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 60 * 60;

/** When a token that lives `seconds` from `now` expires, its lifetime clamped to the bound. */
export function expiryAfter(seconds: number, now = Date.now()): string {
  const bounded = Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_TOKEN_LIFETIME_SECONDS) : 0;
  return new Date(now + bounded * 1000).toISOString();
}

/**
 * Whether a non-empty value fits the field: one of its `options` when it has them (the connect
 * page offers only those; anything else was typed around the page), and its `pattern`.
 */
export function fitsField(field: FieldDefinition, value: string): boolean {
  if (field.options && !field.options.some((option) => option.value === value)) return false;
  return fieldPattern(field)?.test(value) !== false;
}

/** Fields OAuth accounts may carry besides their declared ones. */
const OAUTH_TOKEN_EXTRAS = new Set(['expires_at', 'expires_in', 'token_type', 'scope']);

function missingFields(method: AuthMethodDefinition, input: Record<string, unknown>): string[] {
  return credentialFieldsOf(method)
    .filter((f) => f.required !== false && f.default === undefined)
    .filter((f) => input[f.name] === undefined || input[f.name] === '')
    .map((f) => f.name);
}

function chooseMethod(
  def: IntegrationDefinition,
  input: Record<string, unknown>,
  authFormat: string | undefined,
): AuthMethodDefinition {
  if (authFormat !== undefined) {
    const method = def.authMethods.find((m) => m.format === authFormat);
    if (!method) {
      const offered = def.authMethods.map((m) => m.format).join(', ');
      throw new InvalidRequestError(`${def.name} has no auth method "${authFormat}" (it offers: ${offered})`);
    }
    return method;
  }
  const complete = def.authMethods.find((m) => missingFields(m, input).length === 0);
  if (complete) return complete;
  // None complete: name what is missing for the method the input comes closest to.
  const [closest] = [...def.authMethods].sort(
    (a, b) => missingFields(a, input).length - missingFields(b, input).length,
  );
  return closest as AuthMethodDefinition;
}

export function resolveCredentials(
  def: IntegrationDefinition,
  input: Record<string, unknown> | undefined,
  authFormat?: string,
): ResolvedCredentials {
  const given = input ?? {};
  const method = chooseMethod(def, given, authFormat);
  const missing = missingFields(method, given);
  if (missing.length > 0) {
    throw new MissingCredentialError(
      `credentials for ${def.name} (${method.format}) are missing ${missing.map((m) => `"${m}"`).join(', ')}`,
    );
  }

  const fields = credentialFieldsOf(method);
  const known = new Set(fields.map((f) => f.name));
  const isOAuth = method.format === 'oauth2';
  const unknown = Object.keys(given).filter((k) => !known.has(k) && !(isOAuth && OAUTH_TOKEN_EXTRAS.has(k)));
  if (unknown.length > 0) {
    throw new InvalidCredentialError(
      `credentials for ${def.name} (${method.format}) have unknown field(s) ${unknown.map((u) => `"${u}"`).join(', ')}`,
    );
  }

  const credentials: Credentials = {};
  for (const field of fields) {
    const value = given[field.name];
    if (value === undefined || value === '') {
      if (field.default !== undefined) credentials[field.name] = field.default;
      continue;
    }
    if (typeof value !== 'string') {
      throw new InvalidCredentialError(`credential "${field.name}" must be a string`);
    }
    if (!fitsField(field, value)) {
      throw new InvalidCredentialError(
        field.options
          ? `credential "${field.name}" must be one of ${field.options.map((o) => `"${o.value}"`).join(', ')}`
          : `credential "${field.name}" does not match ${field.pattern}`,
      );
    }
    credentials[field.name] = value;
  }
  if (isOAuth) Object.assign(credentials, tokenExpiry(given));
  return { method, credentials };
}

function tokenExpiry(given: Record<string, unknown>): Credentials {
  const { expires_at: at, expires_in: inSeconds } = given;
  if (at !== undefined) {
    // Date.parse is NaN for dates outside what a Date can hold (years past ±275760).
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
      throw new InvalidCredentialError('credential "expires_at" must be an ISO-8601 date-time');
    }
    return { expires_at: new Date(at).toISOString() };
  }
  if (inSeconds !== undefined) {
    const seconds = typeof inSeconds === 'string' ? Number(inSeconds) : inSeconds;
    if (
      typeof seconds !== 'number' ||
      !Number.isFinite(seconds) ||
      seconds <= 0 ||
      seconds > MAX_TOKEN_LIFETIME_SECONDS
    ) {
      throw new InvalidCredentialError(
        `credential "expires_in" must be a positive number of seconds, at most ${MAX_TOKEN_LIFETIME_SECONDS}`,
      );
    }
    return { expires_at: expiryAfter(seconds) };
  }
  return {};
}

/** Why an entered field cannot be used. */
export type FieldProblem = 'missing' | 'invalid';

export interface EnteredFields {
  /** The non-empty values, trimmed, of the given fields only. */
  input: Record<string, string>;
  /** The values that may be shown again in the form (never secrets). */
  values: Record<string, string>;
  /** Each field that is required and empty, or does not match its pattern. */
  problems: Record<string, FieldProblem>;
}

/** Reads the given fields out of a submitted form (strings only) and checks each one. */
export function checkEnteredFields(
  fields: readonly FieldDefinition[],
  submitted: Record<string, unknown>,
): EnteredFields {
  const input: Record<string, string> = {};
  const values: Record<string, string> = {};
  const problems: Record<string, FieldProblem> = {};
  for (const field of fields) {
    const raw = Object.hasOwn(submitted, field.name) ? submitted[field.name] : undefined;
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') {
      if (field.required !== false && field.default === undefined) problems[field.name] = 'missing';
      continue;
    }
    input[field.name] = value;
    if (!field.secret) values[field.name] = value;
    if (!fitsField(field, value)) problems[field.name] = 'invalid';
  }
  return { input, values, problems };
}
