/**
 * `truto-platform mcp-stdio <mcpUrl>`: a local stdio MCP client (Claude Desktop, an IDE)
 * reaches an MCP URL through this bridge. Messages pass through unchanged, the SDK's stdio
 * server transport on one side and its Streamable HTTP client transport on the other, so
 * both protocol eras work as they do over HTTP. A request the URL refuses (404, 401, 403,
 * 429, network failure) is answered on stdio with a JSON-RPC error instead of hanging.
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { InvalidHeaderError } from '../errors.js';

export { InvalidHeaderError } from '../errors.js';

/** `"Authorization: Bearer x"` as a header name and value; throws on anything else. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  const value = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name) || value === '' || /[\r\n\0]/.test(value)) {
    throw new InvalidHeaderError(`--header "${text}" is not "Name: value"`);
  }
  return [name, value];
}

export interface StdioBridgeOptions {
  url: URL;
  headers?: Record<string, string>;
  stdin?: Readable;
  stdout?: Writable;
  /** Where bridge problems are reported (never stdout: that is the protocol). */
  log?: (message: string) => void;
}

export interface StdioBridge {
  /** Resolves when either side closed. */
  closed: Promise<void>;
  close(): Promise<void>;
}

type Message = Parameters<NonNullable<StdioServerTransport['onmessage']>>[0];

/** JSON-RPC's "server error" range: the URL refused or could not be reached. */
const BRIDGE_ERROR = -32000;

export async function startStdioBridge(options: StdioBridgeOptions): Promise<StdioBridge> {
  if (options.url.protocol !== 'https:' && options.url.protocol !== 'http:') {
    throw new InvalidHeaderError(`the MCP URL must be http(s), not ${options.url.protocol}`);
  }
  const log = options.log ?? ((m: string) => process.stderr.write(`truto-platform mcp-stdio: ${m}\n`));
  const local = new StdioServerTransport(options.stdin, options.stdout);
  const remote = new StreamableHTTPClientTransport(options.url, {
    requestInit: { headers: options.headers ?? {} },
  });
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await Promise.allSettled([local.close(), remote.close()]);
    resolveClosed();
  };

  local.onmessage = (message: Message) => {
    remote.send(message as never).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      log(`the MCP URL refused a message: ${reason}`);
      if ('id' in message && 'method' in message) {
        void local.send({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: BRIDGE_ERROR, message: `the MCP URL refused the request: ${reason}` },
        } as Message);
      }
    });
  };
  remote.onmessage = (message) => {
    void local.send(message as Message);
  };
  local.onerror = (error) => log(`stdio: ${error.message}`);
  remote.onerror = (error) => log(`http: ${error.message}`);
  local.onclose = () => void close();
  remote.onclose = () => void close();

  await remote.start();
  await local.start();
  return { closed, close };
}
