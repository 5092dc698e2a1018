/**
 * Request and response validation compiled from the OpenAPI document itself (ajv over the
 * spec's own schemas), so the rules are never restated by hand. Compiled once, at start.
 * @module
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument, OperationObject, SchemaObject } from './spec.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const SPEC_ID = 'admin-api';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface ValidationIssue {
  /** Where the problem is, e.g. `body.scopes[0]` or `query.limit`. */
  location: string;
  message: string;
}

export interface OperationValidator {
  operationId: string;
  /** Validates and coerces query parameters (defaults applied); returns issues or the values. */
  query(
    query: unknown,
  ): { ok: true; value: Record<string, unknown> } | { ok: false; issues: ValidationIssue[] };
  /** `undefined` when the operation takes no body. */
  bodyRequired: boolean | undefined;
  body(body: unknown): ValidationIssue[];
}

/** Points `#/components/...` refs at the registered document so ajv can resolve them. */
function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rewriteRefs(v);
    }
    return out as T;
  }
  return value;
}

function createAjv(options: { coerceTypes: boolean }, doc: OpenApiDocument): Ajv {
  // strict: false because OpenAPI 3.0 schemas carry keywords JSON Schema does not know
  // (`example`, `xml`); `nullable` is understood by ajv itself.
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    coerceTypes: options.coerceTypes ? 'array' : false,
    useDefaults: options.coerceTypes,
  });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: rewriteRefs(doc.components) });
  return ajv;
}

function toIssues(errors: ErrorObject[] | null | undefined, root: string): ValidationIssue[] {
  return (errors ?? []).map((e) => {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
      .join('');
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      message = `has unknown parameter "${String(e.params.additionalProperty)}"`;
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
    } else if (e.keyword === 'required') {
      message = `is missing required property "${String(e.params.missingProperty)}"`;
    }
    return { location: root + path, message };
  });
}

export function describeIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.location} ${i.message}`).join('; ');
}

function operations(doc: OpenApiDocument): Array<[string, OperationObject]> {
  const out: Array<[string, OperationObject]> = [];
  for (const pathItem of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (op?.operationId) out.push([op.operationId, op]);
    }
  }
  return out;
}

export function compileOperationValidators(doc: OpenApiDocument): Map<string, OperationValidator> {
  const queryAjv = createAjv({ coerceTypes: true }, doc);
  const bodyAjv = createAjv({ coerceTypes: false }, doc);
  const validators = new Map<string, OperationValidator>();

  for (const [operationId, op] of operations(doc)) {
    const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
    const querySchema: SchemaObject = {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(queryParams.map((p) => [p.name, rewriteRefs(p.schema ?? {})])),
      required: queryParams.filter((p) => p.required).map((p) => p.name),
    };
    const validateQuery = queryAjv.compile(querySchema);
    const jsonBody = op.requestBody?.content?.['application/json']?.schema;
    const validateBody: ValidateFunction | undefined = jsonBody
      ? bodyAjv.compile(rewriteRefs(jsonBody))
      : undefined;

    validators.set(operationId, {
      operationId,
      bodyRequired: op.requestBody ? op.requestBody.required === true : undefined,
      query(query) {
        // Copy: ajv writes coerced values and defaults into the object it validates.
        const value = { ...(query as Record<string, unknown>) };
        return validateQuery(value)
          ? { ok: true, value }
          : { ok: false, issues: toIssues(validateQuery.errors, 'query') };
      },
      body(body) {
        if (!validateBody) return [];
        return validateBody(body) ? [] : toIssues(validateBody.errors, 'body');
      },
    });
  }
  return validators;
}

export type ResponseValidator = (operationId: string, status: number, body: unknown) => ValidationIssue[];

/**
 * Checks a response against the document: the status must be declared for the operation,
 * and a JSON body must match its schema. Used by tests to hold the server to the spec.
 */
export function compileResponseValidator(doc: OpenApiDocument): ResponseValidator {
  const ajv = createAjv({ coerceTypes: false }, doc);
  const byOperation = new Map(operations(doc));
  const cache = new Map<string, ValidateFunction | null>();

  const resolveResponse = (response: unknown): Record<string, unknown> => {
    const ref = (response as { $ref?: string }).$ref;
    if (!ref) return response as Record<string, unknown>;
    const name = ref.replace('#/components/responses/', '');
    return (doc.components.responses?.[name] ?? {}) as Record<string, unknown>;
  };

  return (operationId, status, body) => {
    const op = byOperation.get(operationId);
    if (!op) return [{ location: 'operation', message: `${operationId} is not in the spec` }];
    const declared = op.responses?.[String(status)];
    if (!declared) {
      return [{ location: 'status', message: `${status} is not a declared response of ${operationId}` }];
    }
    const key = `${operationId}:${status}`;
    if (!cache.has(key)) {
      const content = resolveResponse(declared).content as
        | Record<string, { schema?: SchemaObject }>
        | undefined;
      const schema = content?.['application/json']?.schema;
      cache.set(key, schema ? ajv.compile(rewriteRefs(schema)) : null);
    }
    const validate = cache.get(key);
    if (!validate) {
      return body === undefined || body === '' ? [] : [{ location: 'body', message: 'must be empty' }];
    }
    return validate(body) ? [] : toIssues(validate.errors, 'body');
  };
}
