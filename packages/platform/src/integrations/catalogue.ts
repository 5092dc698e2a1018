/**
 * The integration catalogue: the definitions shipped in `integrations/definitions` plus any
 * folders given with `--integrations DIR`, each file validated against the definition schema.
 * A definition in a later folder replaces a shipped one of the same name.
 * @module
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { IntegrationDefinitionError, UnknownIntegrationError } from '../errors.js';
import { DEFAULT_MAX_WAIT_MS } from '../provider/rate-limit.js';
import type { AuthMethodDefinition, FieldDefinition, IntegrationDefinition } from './definition.js';
import { hostPlaceholderProblems } from './host-placeholders.js';
import { placeholdersOf } from './template.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const SCHEMA_URL = new URL('../../integrations/definition.schema.json', import.meta.url);
export const BUILTIN_DEFINITIONS_DIR = fileURLToPath(
  new URL('../../integrations/definitions/', import.meta.url),
);

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateDefinition = ajv.compile<IntegrationDefinition>(
  JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object,
);

const compiledPatterns = new WeakMap<FieldDefinition, RegExp>();

/**
 * The field's `pattern`, compiled once: definitions are compiled when the catalogue is built
 * (an invalid pattern fails there), so checks at connect time never build a RegExp.
 */
export function fieldPattern(field: FieldDefinition): RegExp | undefined {
  if (field.pattern === undefined) return undefined;
  let compiled = compiledPatterns.get(field);
  if (!compiled) {
    compiled = new RegExp(field.pattern);
    compiledPatterns.set(field, compiled);
  }
  return compiled;
}

/** The fields an account of this method holds: entered fields plus, for OAuth, the tokens. */
export function credentialFieldsOf(method: AuthMethodDefinition): FieldDefinition[] {
  const fields = [...(method.fields ?? [])];
  if (method.format === 'oauth2') {
    fields.push(
      { name: 'access_token', label: 'Access token', secret: true },
      { name: 'refresh_token', label: 'Refresh token', secret: true, required: false },
      ...(method.oauth2?.tokenResponseFields ?? []),
    );
  }
  return fields;
}

/** Checks what the schema cannot: cross-references inside one definition. */
function checkConsistency(def: IntegrationDefinition, source: string): void {
  const fail = (message: string) => {
    throw new IntegrationDefinitionError(`${source}: ${message}`);
  };
  const formats = new Set<string>();
  for (const method of def.authMethods) {
    if (formats.has(method.format)) fail(`auth method "${method.format}" is listed twice`);
    formats.add(method.format);
  }
  const methodNames = new Set<string>();
  for (const m of def.methods ?? []) {
    if (methodNames.has(m.name)) fail(`method "${m.name}" is listed twice`);
    methodNames.add(m.name);
  }
  const fieldsByName = new Map<string, FieldDefinition>();
  for (const method of def.authMethods) {
    for (const f of credentialFieldsOf(method)) {
      fieldsByName.set(f.name, f);
      try {
        fieldPattern(f);
      } catch {
        fail(`field "${f.name}" has an invalid pattern`);
      }
    }
  }
  const [hostProblem] = hostPlaceholderProblems(def);
  if (hostProblem) fail(hostProblem);
  const limit = def.rateLimit;
  if (limit?.backoffMs !== undefined && limit.backoffMs > (limit.maxWaitMs ?? DEFAULT_MAX_WAIT_MS))
    fail(`rateLimit.backoffMs ${limit.backoffMs} is over maxWaitMs, so nothing would be retried`);
  const kept = new Set<string>();
  for (const step of def.postInstall ?? []) {
    // A `where` value may be repeated in a failure the tenant reads: never a secret, and never a
    // name that is not there (its condition would silently be dropped).
    for (const [path, template] of Object.entries(step.select?.where ?? {})) {
      for (const name of placeholdersOf(template)) {
        const field = fieldsByName.get(name);
        if ((field && !field.secret) || kept.has(name)) continue;
        fail(
          `post-install "${step.id}" select.where.${path} uses {${name}}, which is neither a non-secret field nor a context key kept by an earlier step`,
        );
      }
    }
    for (const key of Object.keys(step.context ?? {})) kept.add(key);
    for (const [key, source] of Object.entries(step.context ?? {})) {
      if (source.startsWith('$selected') && !step.select)
        fail(`post-install "${step.id}" maps context.${key} from ${source} but selects no item`);
      const match = /^\$credentials\.([a-z_][a-z0-9_]*)$/.exec(source);
      if (!match) continue;
      const field = fieldsByName.get(match[1] as string);
      if (!field) fail(`post-install "${step.id}" maps context.${key} from unknown field ${source}`);
      if (field?.secret) fail(`post-install "${step.id}" would copy secret ${source} into context`);
    }
  }
}

export function parseDefinition(value: unknown, source: string): IntegrationDefinition {
  if (!validateDefinition(value)) {
    const detail = (validateDefinition.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new IntegrationDefinitionError(`${source}: ${detail}`);
  }
  checkConsistency(value, source);
  return value;
}

function readDefinitionsDir(dir: string): IntegrationDefinition[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
  } catch (cause) {
    throw new IntegrationDefinitionError(`cannot read integrations folder ${dir}`, { cause });
  }
  return files.sort().map((file) => {
    const path = join(dir, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new IntegrationDefinitionError(`${path}: not valid JSON`, { cause });
    }
    return parseDefinition(parsed, path);
  });
}

export class IntegrationCatalogue {
  readonly #byName: Map<string, IntegrationDefinition>;

  constructor(definitions: Iterable<IntegrationDefinition>) {
    this.#byName = new Map();
    for (const def of definitions) {
      for (const method of def.authMethods) for (const f of credentialFieldsOf(method)) fieldPattern(f);
      this.#byName.set(def.name, def);
    }
  }

  /** Loads the shipped definitions and then each extra folder, later ones winning. */
  static load(extraDirs: readonly string[] = []): IntegrationCatalogue {
    const defs = [BUILTIN_DEFINITIONS_DIR, ...extraDirs].flatMap(readDefinitionsDir);
    return new IntegrationCatalogue(defs);
  }

  get(name: string): IntegrationDefinition | undefined {
    return this.#byName.get(name);
  }

  /** The definition of `name`; a 400 `unknown_integration` when the catalogue has none. */
  require(name: string): IntegrationDefinition {
    const def = this.#byName.get(name);
    if (!def) throw new UnknownIntegrationError(`integration "${name}" is not in the catalogue`);
    return def;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  names(): string[] {
    return [...this.#byName.keys()].sort();
  }

  /** A copy of this catalogue with one more (or a replaced) definition. */
  with(definition: IntegrationDefinition): IntegrationCatalogue {
    return new IntegrationCatalogue([...this.#byName.values(), definition]);
  }
}
