/**
 * Reads an MCP POST body and parses it once, so the SDK gets it as `parsedBody` instead of
 * cloning the request and reading it again through web streams (its documented fast path).
 * Answers what the SDK answers itself for a body that is too large or not JSON.
 * @module
 */
import type { IncomingMessage } from 'node:http';

export type JsonBody = { kind: 'parsed'; value: unknown } | { kind: 'invalid' } | { kind: 'too-large' };

/** Reads at most `maxBytes`; a declared length over it is refused before reading. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  if (Number(req.headers['content-length']) > maxBytes) return { kind: 'too-large' };
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.byteLength;
      if (received > maxBytes) return { kind: 'too-large' };
      chunks.push(chunk);
    }
  } catch {
    return { kind: 'invalid' };
  }
  const text = Buffer.concat(chunks, received).toString('utf8');
  if (text.length === 0) return { kind: 'invalid' };
  try {
    return { kind: 'parsed', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}

/** The JSON-RPC error bodies the SDK's own HTTP entry answers with in these two cases. */
export function jsonBodyError(kind: 'invalid' | 'too-large', maxBytes: number) {
  return kind === 'invalid'
    ? {
        status: 400,
        body: { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: Invalid JSON' }, id: null },
      }
    : {
        status: 413,
        body: {
          jsonrpc: '2.0',
          error: {
            code: -32000,
            message: `Payload Too Large: Request body must not exceed ${maxBytes} bytes`,
          },
          id: null,
        },
      };
}
