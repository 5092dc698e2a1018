import { describe, expect, it } from 'vitest';
import type { IntegrationDefinition, MethodDefinition } from '../integrations/definition.js';
import { MAX_TOOL_NAME_LENGTH, selectTools, toolNameOf, toolsOf } from './tools.js';

const method = (
  name: string,
  verb: MethodDefinition['request']['method'],
  input?: object,
): MethodDefinition => ({
  name,
  description: `Does ${name}`,
  request: { method: verb, path: `/${name}` },
  ...(input ? { input: input as Record<string, unknown> } : {}),
});

const definition = (methods: MethodDefinition[]): IntegrationDefinition => ({
  name: 'demo',
  label: 'Demo',
  baseUrl: 'https://api.demo.test',
  authMethods: [],
  methods,
});

describe('toolsOf', () => {
  it('names tools in snake_case, at most 64 characters, unique', () => {
    expect(toolNameOf('listEmployees')).toBe('list_employees');
    expect(toolNameOf('List Employees!')).toBe('list_employees');
    expect(toolNameOf('x'.repeat(100))).toHaveLength(MAX_TOOL_NAME_LENGTH);
    const tools = toolsOf(definition([method('a'.repeat(70), 'GET'), method('a'.repeat(80), 'GET')]));
    expect(tools.map((t) => t.name.length)).toEqual([64, 64]);
    expect(new Set(tools.map((t) => t.name)).size).toBe(2);
  });

  it('annotates from the HTTP method and groups reads and writes', () => {
    const tools = toolsOf(
      definition([
        method('get_a', 'GET'),
        method('create_a', 'POST'),
        method('replace_a', 'PUT'),
        method('patch_a', 'PATCH'),
        method('delete_a', 'DELETE'),
      ]),
    );
    const by = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(by.get_a?.annotations).toMatchObject({ readOnlyHint: true });
    expect(by.get_a?.group).toBe('read');
    expect(by.create_a?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    expect(by.replace_a?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    expect(by.patch_a?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: false });
    expect(by.delete_a?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    for (const t of tools.slice(1)) expect(t.group).toBe('write');
  });

  it('keeps the method’s JSON Schema as input, tells a model how to page, and validates arguments', () => {
    const [list] = toolsOf(
      definition([
        method('list_things', 'GET', {
          type: 'object',
          properties: { cursor: { type: 'string' }, limit: { type: 'integer', maximum: 100 } },
        }),
      ]),
    );
    expect(list?.inputSchema).toMatchObject({ type: 'object', properties: { cursor: {}, limit: {} } });
    expect(list?.description).toMatch(/`cursor` and `limit`/);
    expect(list?.description).toMatch(/changes nothing/);
    expect(list?.validate({ limit: 5 })).toBe(true);
    expect(list?.validate({ limit: 500 })).toBe(false);
    const [bare] = toolsOf(definition([method('ping', 'POST')]));
    expect(bare?.inputSchema).toEqual({ type: 'object', properties: {} });
    expect(bare?.description).toMatch(/only when the user asked/);
  });
});

describe('selectTools', () => {
  const tools = toolsOf(
    definition([method('get_a', 'GET'), method('create_a', 'POST'), method('get_b', 'GET')]),
  );
  it('exposes everything without a filter, else names and groups', () => {
    expect(selectTools(tools, null)).toHaveLength(3);
    expect(selectTools(tools, ['get_b']).map((t) => t.name)).toEqual(['get_b']);
    expect(selectTools(tools, ['read']).map((t) => t.name)).toEqual(['get_a', 'get_b']);
    expect(selectTools(tools, ['write', 'get_b']).map((t) => t.name)).toEqual(['create_a', 'get_b']);
    expect(selectTools(tools, ['nothing'])).toEqual([]);
  });
});

describe('readOnly and declared pagination', () => {
  const search: MethodDefinition = {
    name: 'search_people',
    description: 'Search people',
    readOnly: true,
    request: { method: 'POST', path: '/people/search', body: { q: '$args.q' } },
    input: { type: 'object', properties: { q: { type: 'string' }, after: { type: 'string' } } },
    pagination: { style: 'cursor', cursorPath: '$response.body.next', param: 'after' },
  };
  const rpc: MethodDefinition = {
    name: 'archive_channel',
    description: 'Archive a channel',
    readOnly: false,
    request: { method: 'GET', path: '/conversations.archive' },
  };

  it('a readOnly POST is a read tool, annotated read-only, described as changing nothing', () => {
    const [tool] = toolsOf(definition([search]));
    expect(tool?.group).toBe('read');
    expect(tool?.annotations).toEqual({ title: 'Search people', readOnlyHint: true, openWorldHint: true });
    expect(tool?.description).toContain('Reads from Demo (POST /people/search); changes nothing.');
    expect(selectTools(toolsOf(definition([search])), ['read']).map((t) => t.name)).toEqual([
      'search_people',
    ]);
    expect(selectTools(toolsOf(definition([search])), ['write'])).toEqual([]);
  });

  it('a GET declared readOnly: false is a write tool, not annotated read-only', () => {
    const [tool] = toolsOf(definition([rpc]));
    expect(tool?.group).toBe('write');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(tool?.description).toMatch(/Changes data in Demo \(GET \/conversations.archive\)/);
  });

  it('names the declared paging argument and the next shape it comes back in', () => {
    const [tool] = toolsOf(definition([search]));
    expect(tool?.description).toContain('pass `after` to get the next ones');
    expect(tool?.description).toContain('plus next {after} when there is a next page');
    const [legacy] = toolsOf(
      definition([method('list_a', 'GET', { type: 'object', properties: { cursor: { type: 'string' } } })]),
    );
    expect(legacy?.description).toContain('plus next {url, cursor} when there is a next page');
  });
});
