import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonBodyError, readJsonBody } from './json-body.js';

function request(chunks: string[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
    headers,
  }) as unknown as IncomingMessage;
}

describe('readJsonBody', () => {
  it('parses a body that arrives in pieces', async () => {
    expect(await readJsonBody(request(['{"jsonrpc":"2.0",', '"id":1,"method":"ping"}']), 100)).toEqual({
      kind: 'parsed',
      value: { jsonrpc: '2.0', id: 1, method: 'ping' },
    });
  });

  it('calls an empty or broken body invalid', async () => {
    expect(await readJsonBody(request([]), 100)).toEqual({ kind: 'invalid' });
    expect(await readJsonBody(request(['{not json']), 100)).toEqual({ kind: 'invalid' });
  });

  it('refuses a declared length over the cap before reading, and stops reading past it', async () => {
    expect(await readJsonBody(request(['{}'], { 'content-length': '101' }), 100)).toEqual({
      kind: 'too-large',
    });
    expect(await readJsonBody(request(['{"a":"', 'x'.repeat(60), 'x'.repeat(60), '"}']), 100)).toEqual({
      kind: 'too-large',
    });
    expect(await readJsonBody(request([`"${'x'.repeat(98)}"`]), 100)).toMatchObject({ kind: 'parsed' });
  });

  it('answers as the SDK does', () => {
    expect(jsonBodyError('invalid', 10)).toEqual({
      status: 400,
      body: { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: Invalid JSON' }, id: null },
    });
    expect(jsonBodyError('too-large', 10).status).toBe(413);
  });
});
