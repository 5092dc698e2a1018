/**
 * Every definition shipped in `integrations/definitions`, held to what the catalogue promises
 * beyond the schema: each loads; every `{placeholder}` a template uses is something the
 * platform has at that moment (a credential field of the auth method in use, a token, a
 * context value an earlier post-install step kept, or a tool argument); every method is a
 * usable tool (input schema with descriptions, paging declared for lists); every auth method
 * says where its credentials are found; every definition says what it was verified against.
 * It iterates the folder, so a new definition is covered by being added.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paginationParamOf } from '../provider/pagination.js';
import { BUILTIN_DEFINITIONS_DIR, credentialFieldsOf, IntegrationCatalogue } from './catalogue.js';
import type {
  AuthMethodDefinition,
  IntegrationDefinition,
  MethodDefinition,
  RequestDefinition,
} from './definition.js';
import { placeholdersOf } from './template.js';

const FILES = readdirSync(BUILTIN_DEFINITIONS_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();
const catalogue = IntegrationCatalogue.load();
const NAMES = FILES.map((file) => file.replace(/\.json$/, ''));

/**
 * List methods whose provider endpoint answers everything at once (no paging to declare), with
 * the reason. Keep it short: each entry is a claim about the provider's API.
 */
const UNPAGED_LISTS: Record<string, string> = {
  'bamboohr.list_employees': 'the employee directory endpoint answers every employee in one answer',
  'bamboohr.list_fields': 'GET /v1/meta/fields answers every field at once',
  'hibob.list_named_lists': 'GET /v1/company/named-lists answers every list at once',
  'zoho-crm.list_modules': 'GET /settings/modules answers every module at once',
};

/** Names a request can read: the method's account values, plus context kept so far. */
function accountScope(method: AuthMethodDefinition, context: ReadonlySet<string>): Set<string> {
  const names = new Set(credentialFieldsOf(method).map((field) => field.name));
  // A client-credentials account gets its access token from the token endpoint per call.
  if (method.format === 'oauth2_client_credentials') names.add('access_token');
  for (const key of context) names.add(key);
  return names;
}

/** Properties of a method's input schema, including those of `anyOf`/`oneOf` branches. */
function inputProperties(method: MethodDefinition): Set<string> {
  const input = (method.input ?? {}) as { properties?: Record<string, unknown> };
  return new Set(Object.keys(input.properties ?? {}));
}

const CONTEXT_REF = /^\$context\.([A-Za-z_][A-Za-z0-9_]*)$/;
const ARG_REF = /^\$args\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** `$args.<name>` and `$context.<key>` references anywhere in a body template. */
function bodyReferences(template: unknown, found: { args: string[]; context: string[] }) {
  if (typeof template === 'string') {
    const arg = ARG_REF.exec(template);
    if (arg) found.args.push(arg[1] as string);
    const key = CONTEXT_REF.exec(template);
    if (key) found.context.push(key[1] as string);
  } else if (Array.isArray(template)) {
    for (const item of template) bodyReferences(item, found);
  } else if (template !== null && typeof template === 'object') {
    for (const item of Object.values(template)) bodyReferences(item, found);
  }
  return found;
}

/**
 * Every placeholder of the definition that nothing defines, one line each, checked for each
 * auth method in turn (an account has one): requests in the order they run, so a post-install
 * step may use only what earlier steps kept.
 */
export function undefinedPlaceholders(def: IntegrationDefinition): string[] {
  const problems: string[] = [];
  const need = (where: string, template: string, scope: ReadonlySet<string>) => {
    for (const name of placeholdersOf(template)) {
      if (!scope.has(name)) problems.push(`${where}: {${name}} is not defined`);
    }
  };
  for (const auth of def.authMethods) {
    const context = new Set<string>();
    const checkRequest = (where: string, request: RequestDefinition, args: ReadonlySet<string>) => {
      const values = accountScope(auth, context);
      const withArgs = new Set([...values, ...args]);
      const label = `${auth.format}: ${where}`;
      if (!/^https?:\/\//.test(request.path)) need(`${label} baseUrl`, def.baseUrl, values);
      need(`${label} path`, request.path, withArgs);
      for (const [name, template] of Object.entries(request.query ?? {}))
        need(`${label} query.${name}`, template, withArgs);
      for (const [name, template] of Object.entries({ ...def.headers, ...request.headers }))
        need(`${label} header ${name}`, template, values);
      for (const [name, template] of Object.entries(auth.apply.headers ?? {}))
        need(`${label} apply header ${name}`, template, values);
      for (const [name, template] of Object.entries(auth.apply.query ?? {}))
        need(`${label} apply query.${name}`, template, values);
      if (auth.apply.basic) {
        need(`${label} apply basic username`, auth.apply.basic.username, values);
        need(`${label} apply basic password`, auth.apply.basic.password, values);
      }
      const refs = bodyReferences(request.body, { args: [], context: [] });
      for (const arg of refs.args)
        if (!args.has(arg)) problems.push(`${label} body: $args.${arg} is not an input property`);
      for (const key of refs.context)
        if (!context.has(key)) problems.push(`${label} body: $context.${key} is not kept by post-install`);
    };
    for (const step of def.postInstall ?? []) {
      checkRequest(`post-install "${step.id}"`, step.request, new Set());
      for (const [path, template] of Object.entries(step.select?.where ?? {}))
        need(
          `${auth.format}: post-install "${step.id}" select.where.${path}`,
          template,
          accountScope(auth, context),
        );
      for (const [key, source] of Object.entries(step.context ?? {})) {
        const ref = /^\$context\.([A-Za-z_][A-Za-z0-9_]*)/.exec(source);
        if (ref && !context.has(ref[1] as string))
          problems.push(
            `${auth.format}: post-install "${step.id}" context.${key}: ${source} is not kept earlier`,
          );
      }
      for (const key of Object.keys(step.context ?? {})) context.add(key);
    }
    for (const method of def.methods ?? []) {
      checkRequest(`method "${method.name}"`, method.request, inputProperties(method));
    }
    // OAuth endpoints are filled from the fields entered on the connect page.
    const entered = new Set((auth.fields ?? []).map((field) => field.name));
    const spec = auth.oauth2;
    if (spec) {
      if (spec.authorizeUrl) need(`${auth.format}: authorizeUrl`, spec.authorizeUrl, entered);
      need(`${auth.format}: tokenUrl`, spec.tokenUrl, entered);
      for (const [name, template] of Object.entries(spec.authorizeParams ?? {}))
        need(`${auth.format}: authorizeParams.${name}`, template, entered);
      for (const [name, template] of Object.entries(spec.tokenParams ?? {}))
        need(`${auth.format}: tokenParams.${name}`, template, entered);
    }
  }
  return [...new Set(problems)];
}

/** A method that lists: by its name, or because it declares paging. */
const isListMethod = (method: MethodDefinition) =>
  method.name.startsWith('list_') || method.pagination !== undefined;

describe('the shipped definitions folder', () => {
  it('loads every file, each named after its definition', () => {
    expect(FILES.length).toBeGreaterThan(0);
    expect(catalogue.names()).toEqual(NAMES);
    for (const name of NAMES) expect(catalogue.require(name).name).toBe(name);
  });

  it('exempts from paging only list methods that declare none', () => {
    for (const key of Object.keys(UNPAGED_LISTS)) {
      const [integration, name] = key.split('.') as [string, string];
      // A definition or method not (or no longer) shipped makes the claim moot.
      const method = catalogue.get(integration)?.methods?.find((m) => m.name === name);
      if (method) expect(method.pagination, `${key} is exempt but declares paging`).toBeUndefined();
    }
  });
});

describe.each(NAMES)('the shipped definition %s', (name) => {
  const def = catalogue.require(name);

  it('has a label, a category and the provider’s docs link', () => {
    expect(def.label.trim()).not.toBe('');
    expect(def.category).toBeDefined();
    expect(def.docsUrl).toMatch(/^https:\/\//);
  });

  it('says what it was verified against, and when', () => {
    expect(def.verification).toBeDefined();
    expect(def.verification?.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(def.verification?.sources.length).toBeGreaterThan(0);
    for (const source of def.verification?.sources ?? []) expect(source).toMatch(/^https:\/\/[^\s]+$/);
  });

  it('tells a person where each auth method’s credentials are found', () => {
    for (const method of def.authMethods) {
      expect(method.help?.trim(), `${method.format} help`).toBeTruthy();
      expect(method.helpUrl, `${method.format} helpUrl`).toMatch(/^https:\/\//);
      for (const field of method.fields ?? []) {
        expect(field.label.trim(), `${method.format} field ${field.name}`).not.toBe('');
      }
    }
  });

  it('defines every placeholder its templates use', () => {
    expect(undefinedPlaceholders(def)).toEqual([]);
  });

  it('gives every method an object input schema whose properties are described', () => {
    for (const method of def.methods ?? []) {
      const input = method.input as
        | { type?: unknown; properties?: Record<string, { description?: unknown }>; required?: string[] }
        | undefined;
      expect(input?.type, method.name).toBe('object');
      for (const [property, schema] of Object.entries(input?.properties ?? {})) {
        expect(typeof schema.description, `${method.name}.${property}`).toBe('string');
        expect(String(schema.description).trim(), `${method.name}.${property}`).not.toBe('');
      }
      for (const required of input?.required ?? []) {
        expect(Object.keys(input?.properties ?? {}), `${method.name} requires ${required}`).toContain(
          required,
        );
      }
    }
  });

  it('declares paging on every list method, taken by one of its arguments', () => {
    for (const method of (def.methods ?? []).filter(isListMethod)) {
      if (UNPAGED_LISTS[`${name}.${method.name}`] !== undefined) continue;
      expect(method.pagination, `${method.name} pagination`).toBeDefined();
      if (!method.pagination) continue;
      const param = paginationParamOf(method.pagination);
      expect([...inputProperties(method)], `${method.name} takes its paging argument "${param}"`).toContain(
        param,
      );
    }
  });
});

describe('undefinedPlaceholders', () => {
  const base: IntegrationDefinition = {
    name: 'x',
    label: 'X',
    baseUrl: 'https://{subdomain}.x.example',
    authMethods: [
      {
        format: 'api_key',
        label: 'Key',
        fields: [
          { name: 'subdomain', label: 'Subdomain', pattern: '^[a-z]+$' },
          { name: 'api_key', label: 'Key', secret: true },
        ],
        apply: { headers: { 'X-Key': '{api_key}' } },
      },
    ],
    postInstall: [
      { id: 'me', request: { method: 'GET', path: '/me' }, context: { companyId: '$response.body.id' } },
    ],
    methods: [
      {
        name: 'get_thing',
        description: 'Get a thing.',
        request: {
          method: 'POST',
          path: '/companies/{companyId}/things/{id}',
          query: { v: '{version}' },
          body: { note: '$args.note', company: '$context.companyId' },
        },
        input: { type: 'object', properties: { id: {}, version: {}, note: {} } },
      },
    ],
  };

  it('accepts credentials, earlier context, and arguments where each is available', () => {
    expect(undefinedPlaceholders(base)).toEqual([]);
  });

  it('names what nothing defines', () => {
    const broken: IntegrationDefinition = {
      ...base,
      headers: { 'X-Tenant': '{tenant}' },
      postInstall: [
        // Uses a context value before any step kept it.
        { id: 'first', request: { method: 'GET', path: '/c/{companyId}' } },
        { id: 'me', request: { method: 'GET', path: '/me' }, context: { companyId: '$response.body.id' } },
      ],
      methods: [
        {
          name: 'get_thing',
          description: 'Get a thing.',
          request: {
            method: 'POST',
            path: '/things/{thing_id}',
            query: { v: '{version}' },
            body: { note: '$args.memo', company: '$context.teamId' },
          },
          input: { type: 'object', properties: { id: {}, note: {} } },
        },
      ],
      authMethods: [
        {
          ...(base.authMethods[0] as AuthMethodDefinition),
          apply: { headers: { 'X-Key': '{apikey}' } },
        },
        {
          format: 'oauth2',
          label: 'Sign in',
          fields: [{ name: 'subdomain', label: 'Subdomain', pattern: '^[a-z]+$' }],
          oauth2: {
            grant: 'authorization_code',
            authorizeUrl: 'https://{subdomain}.x.example/authorize',
            tokenUrl: 'https://{region}.x.example/token',
            authorizeParams: { audience: '{audience}' },
          },
          apply: { headers: { Authorization: 'Bearer {access_token}' } },
        },
      ],
    };
    const problems = undefinedPlaceholders(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'api_key: post-install "first" path: {companyId} is not defined',
        'api_key: post-install "first" header X-Tenant: {tenant} is not defined',
        'api_key: post-install "first" apply header X-Key: {apikey} is not defined',
        'api_key: method "get_thing" path: {thing_id} is not defined',
        'api_key: method "get_thing" query.v: {version} is not defined',
        'api_key: method "get_thing" body: $args.memo is not an input property',
        'api_key: method "get_thing" body: $context.teamId is not kept by post-install',
        'oauth2: tokenUrl: {region} is not defined',
        'oauth2: authorizeParams.audience: {audience} is not defined',
      ]),
    );
    // The OAuth method's access token is defined; its subdomain too.
    expect(problems.filter((p) => p.startsWith('oauth2: post-install "me"'))).toEqual([
      'oauth2: post-install "me" header X-Tenant: {tenant} is not defined',
    ]);
  });
});
