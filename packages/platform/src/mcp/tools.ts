/**
 * MCP tools from an integration's methods: a snake_case name of at most 64 characters, a
 * description written for a model, the method's JSON Schema as input, annotations from the
 * HTTP method, and the group (`read` or `write`) that `allowedMethods` can name.
 * @module
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { IntegrationDefinition, MethodDefinition } from '../integrations/definition.js';
import { paginationParamOf } from '../provider/pagination.js';

export type ToolGroup = 'read' | 'write';
export const TOOL_GROUPS: readonly ToolGroup[] = ['read', 'write'];
export const MAX_TOOL_NAME_LENGTH = 64;

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint: boolean;
}

export interface IntegrationTool {
  name: string;
  /** The integration method it runs. */
  method: MethodDefinition;
  group: ToolGroup;
  description: string;
  inputSchema: Record<string, unknown> & { type: 'object' };
  annotations: ToolAnnotations;
  /** Checks a call's arguments against `inputSchema`. */
  validate: ValidateFunction;
}

const PAGINATION_ARGUMENTS = ['page', 'limit', 'cursor', 'offset', 'page_size', 'pageSize'];

/** `listEmployees`, `list-employees` and `List Employees` all become `list_employees`. */
export function toolNameOf(methodName: string): string {
  const name = methodName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return (name || 'method').slice(0, MAX_TOOL_NAME_LENGTH);
}

function readsOnly(method: MethodDefinition): boolean {
  return method.readOnly ?? method.request.method === 'GET';
}

function groupOf(method: MethodDefinition): ToolGroup {
  return readsOnly(method) ? 'read' : 'write';
}

function annotationsOf(method: MethodDefinition): ToolAnnotations {
  const title = method.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  if (readsOnly(method)) return { title, readOnlyHint: true, openWorldHint: true };
  switch (method.request.method) {
    case 'DELETE':
      return { title, readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };
    case 'PUT':
      return { title, readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };
    case 'PATCH':
      return {
        title,
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      };
    default:
      // POST creates (or runs a report): nothing existing is overwritten, but twice is twice.
      // A GET declared `readOnly: false` (an RPC-style API that changes things on GET) too.
      return {
        title,
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      };
  }
}

function inputSchemaOf(method: MethodDefinition): IntegrationTool['inputSchema'] {
  const input = method.input ?? {};
  return { ...input, type: 'object', properties: (input.properties as object | undefined) ?? {} };
}

function descriptionOf(
  def: IntegrationDefinition,
  method: MethodDefinition,
  schema: IntegrationTool['inputSchema'],
) {
  const properties = Object.keys(schema.properties as Record<string, unknown>);
  const declared = method.pagination ? paginationParamOf(method.pagination) : undefined;
  const paging =
    declared !== undefined && properties.includes(declared)
      ? [declared]
      : properties.filter((p) => PAGINATION_ARGUMENTS.includes(p));
  const parts = [method.description.trim().replace(/([^.])$/, '$1.')];
  parts.push(
    readsOnly(method)
      ? `Reads from ${def.label} (${method.request.method} ${method.request.path}); changes nothing.`
      : `Changes data in ${def.label} (${method.request.method} ${method.request.path}); call it only when the user asked for that change.`,
  );
  if (paging.length > 0) {
    parts.push(
      `Results come a page at a time: pass ${paging.map((p) => `\`${p}\``).join(' and ')} to get the next ones.`,
    );
  }
  const nextShape = declared === undefined ? 'next {url, cursor}' : `next {${declared}}`;
  parts.push(
    `Returns ${def.label}'s JSON answer as structuredContent {status, data} (plus ${nextShape} when there is a next page; pass it back as the argument to get that page; plus location when the provider answers 201 Created with one) with a text copy; on failure, isError with the provider's status and a short message.`,
  );
  return parts.join(' ');
}

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

/** Compiled once per definition: catalogue definitions live as long as the process. */
const toolCache = new WeakMap<IntegrationDefinition, IntegrationTool[]>();

/** Every method of the integration as a tool, in definition order, names made unique. */
export function toolsOf(def: IntegrationDefinition): IntegrationTool[] {
  let tools = toolCache.get(def);
  if (!tools) {
    tools = buildTools(def);
    toolCache.set(def, tools);
  }
  return tools;
}

function buildTools(def: IntegrationDefinition): IntegrationTool[] {
  const taken = new Set<string>();
  return (def.methods ?? []).map((method) => {
    let name = toolNameOf(method.name);
    for (let n = 2; taken.has(name); n++) {
      const suffix = `_${n}`;
      name = toolNameOf(method.name).slice(0, MAX_TOOL_NAME_LENGTH - suffix.length) + suffix;
    }
    taken.add(name);
    const inputSchema = inputSchemaOf(method);
    return {
      name,
      method,
      group: groupOf(method),
      description: descriptionOf(def, method, inputSchema),
      inputSchema,
      annotations: annotationsOf(method),
      validate: ajv.compile(inputSchema),
    };
  });
}

/**
 * The tools a server exposes: all of them without `allowedMethods`, else those named (by method
 * or tool name) or in a named group (`read`, `write`).
 */
export function selectTools(
  tools: readonly IntegrationTool[],
  allowed: readonly string[] | null,
): IntegrationTool[] {
  if (allowed === null) return [...tools];
  const names = new Set(allowed);
  return tools.filter((t) => names.has(t.name) || names.has(t.method.name) || names.has(t.group));
}
