/** The official MCP clients of both eras, connected over Streamable HTTP. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** An SDK v2 client pinned to the 2026-07-28 revision. */
export async function v2Client(url: string, headers: Record<string, string> = {}) {
  const client = new Client(
    { name: 'test-v2', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** An SDK v1 client: 2025-era initialize over Streamable HTTP. */
export async function v1Client(url: string, headers: Record<string, string> = {}) {
  const client = new ClientV1({ name: 'test-v1', version: '1.0.0' });
  await client.connect(new TransportV1(new URL(url), { requestInit: { headers } }));
  return client;
}
