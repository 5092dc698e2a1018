/**
 * Checks the options `createPlatform` is given from code, once, where they enter: an unknown
 * key, a wrong type or a bad value throws a `TypeError` that names the option
 * (`webhooks.pollMs`, `oauthClients.acmehr.clientSecret`), as jose and express-rate-limit do,
 * instead of surfacing later as a confusing failure. The check table is typed against
 * {@link PlatformOptions}, so an option added there without a check does not compile.
 * @module
 */
import type { PlatformOptions } from './platform.js';

type Check = (value: unknown, name: string) => void;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const string: Check = (value, name) => {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
};

const positiveInteger: Check = (value, name) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer`);
  }
};

/** Refuses keys a table does not know, naming the first. */
function knownKeys(value: Record<string, unknown>, known: readonly string[], name: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${name}: unknown option "${key}" (known: ${known.join(', ')})`);
    }
  }
}

const WEBHOOK_OPTIONS = [
  'pollMs',
  'timeoutMs',
  'maxAttempts',
  'baseDelayMs',
  'maxDelayMs',
  'leaseMs',
] as const;

const webhooks: Check = (value, name) => {
  if (value === false) return;
  if (!isRecord(value)) throw new TypeError(`${name} must be false or an object`);
  knownKeys(value, WEBHOOK_OPTIONS, name);
  for (const key of WEBHOOK_OPTIONS) {
    if (value[key] !== undefined) positiveInteger(value[key], `${name}.${key}`);
  }
};

const oauthClients: Check = (value, name) => {
  if (!isRecord(value)) throw new TypeError(`${name} must be an object keyed by integration name`);
  for (const [integration, client] of Object.entries(value)) {
    const where = `${name}.${integration}`;
    if (!isRecord(client)) throw new TypeError(`${where} must be {clientId, clientSecret}`);
    knownKeys(client, ['clientId', 'clientSecret'], where);
    string(client.clientId, `${where}.clientId`);
    string(client.clientSecret, `${where}.clientSecret`);
  }
};

const CHECKS: { readonly [K in keyof Required<PlatformOptions>]: Check } = {
  database: string,
  publicUrl: string,
  integrations(value, name) {
    if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of folder paths`);
    for (const [i, dir] of value.entries()) string(dir, `${name}[${i}]`);
  },
  sandboxUrl: string,
  webhooks,
  oauthClients,
  secretKey: string,
  linkTokenTtlSeconds: positiveInteger,
  // Its values are Express's own; createPlatform asks Express to parse it (checkTrustProxy).
  trustProxy: () => undefined,
  mcp(value, name) {
    if (!isRecord(value)) throw new TypeError(`${name} must be an object`);
    knownKeys(value, ['rateLimit'], name);
    if (value.rateLimit === undefined) return;
    if (!isRecord(value.rateLimit)) throw new TypeError(`${name}.rateLimit must be {limit, windowMs}`);
    knownKeys(value.rateLimit, ['limit', 'windowMs'], `${name}.rateLimit`);
    positiveInteger(value.rateLimit.limit, `${name}.rateLimit.limit`);
    positiveInteger(value.rateLimit.windowMs, `${name}.rateLimit.windowMs`);
  },
  migrate(value, name) {
    if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
  },
  logger(value, name) {
    if (!isRecord(value) || typeof value.info !== 'function' || typeof value.child !== 'function') {
      throw new TypeError(`${name} must be a pino logger`);
    }
  },
};

/** Throws a TypeError naming the first option that is unknown or malformed. */
export function checkPlatformOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isRecord(options)) throw new TypeError('createPlatform options must be an object');
  knownKeys(options, Object.keys(CHECKS), 'createPlatform');
  for (const [key, check] of Object.entries(CHECKS)) {
    // Own properties only: an option is never read from Object.prototype.
    if (Object.hasOwn(options, key) && options[key] !== undefined) check(options[key], key);
  }
}
