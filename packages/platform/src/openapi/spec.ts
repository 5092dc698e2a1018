/**
 * The served OpenAPI document: the seed spec plus the documented additions, as built by
 * `scripts/build-served-spec.mjs` into `openapi/admin-api.yaml`.
 * @module
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, SchemaObject>; responses?: Record<string, unknown> };
  [key: string]: unknown;
}

export type SchemaObject = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

export interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaObject }> };
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}

export const SERVED_SPEC_URL = new URL('../../openapi/admin-api.yaml', import.meta.url);

export function loadOpenApiDocument(source: URL | string = SERVED_SPEC_URL): OpenApiDocument {
  return YAML.parse(readFileSync(source, 'utf8')) as OpenApiDocument;
}
