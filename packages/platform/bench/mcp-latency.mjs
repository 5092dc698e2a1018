// `pnpm bench`: tools/call latency through MCP (SDK v2 client pinned to 2026-07-28 -> platform
// -> sandbox) against calling the sandbox's REST endpoint directly, in the same run,
// interleaved. Prints the p50 ratio; nothing here asserts a wall-clock time. Beside them, for
// reference, a bare proxy in front of the same endpoint: what one more local process hop costs.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const ROUNDS = Number(process.env.BENCH_MCP_ROUNDS ?? 1000);

function startChild(script, args = []) {
  const child = fork(new URL(script, import.meta.url), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (info) => resolve({ child, ...info }));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const dir = mkdtempSync(join(tmpdir(), 'truto-bench-mcp-'));
const sandbox = await startChild('./sandbox-server.mjs');
const sandboxUrl = `http://localhost:${sandbox.port}`;
const platform = await startChild('./mcp-platform-server.mjs', [
  `sqlite:${join(dir, 'mcp.sqlite')}`,
  sandboxUrl,
]);
const floor = await startChild('./mcp-floor-server.mjs', [sandboxUrl]);
const client = new Client(
  { name: 'bench', version: '1.0.0' },
  { versionNegotiation: { mode: { pin: '2026-07-28' } } },
);
const samples = { mcp: [], direct: [], floor: [] };
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(platform.mcpUrl)));
  const direct = async () => {
    const res = await fetch(`${sandboxUrl}/api/company`, {
      headers: { 'x-api-key': 'sandbox-demo-key', accept: 'application/json' },
    });
    const body = await res.json();
    if (res.status !== 200 || body.id !== 'co_acme') throw new Error(`direct: ${res.status}`);
  };
  const viaMcp = async () => {
    const result = await client.callTool({ name: 'get_company', arguments: {} });
    if (result.isError || result.structuredContent?.data?.id !== 'co_acme') {
      throw new Error(`mcp: ${JSON.stringify(result).slice(0, 200)}`);
    }
  };
  let id = 0;
  const viaBareProxy = async () => {
    const res = await fetch(floor.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: ++id,
        method: 'tools/call',
        params: { name: 'get_company', arguments: {} },
      }),
    });
    const body = await res.json();
    if (body.result?.structuredContent?.data?.id !== 'co_acme') throw new Error(`floor: ${res.status}`);
  };
  // Warm up, then alternate so drift in the machine's speed hits both alike.
  for (let round = -100; round < ROUNDS; round++) {
    for (const [name, run] of [
      ['direct', direct],
      ['mcp', viaMcp],
      ['floor', viaBareProxy],
    ]) {
      const started = process.hrtime.bigint();
      await run();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (round >= 0) samples[name].push(ms);
    }
  }
} finally {
  await client.close().catch(() => undefined);
  platform.child.disconnect();
  floor.child.disconnect();
  sandbox.child.disconnect();
}
for (const values of Object.values(samples)) values.sort((a, b) => a - b);
const p = (name, q) => percentile(samples[name], q);
console.log(
  `MCP tools/call get_company (SDK v2 client, 2026-07-28, SQLite, ${ROUNDS} calls each, interleaved):`,
);
console.log(`  via MCP        p50 ${p('mcp', 50).toFixed(2)} ms  p99 ${p('mcp', 99).toFixed(2)} ms`);
console.log(`  sandbox direct p50 ${p('direct', 50).toFixed(2)} ms  p99 ${p('direct', 99).toFixed(2)} ms`);
console.log(`  p50 ratio MCP / direct: ${(p('mcp', 50) / p('direct', 50)).toFixed(2)} (target <= 1.5)`);
console.log(
  `  reference: a bare Node proxy (plain JSON-RPC POST, no SDK, no database) p50 ${p('floor', 50).toFixed(2)} ms -> ratio ${(p('floor', 50) / p('direct', 50)).toFixed(2)}; MCP / bare proxy ${(p('mcp', 50) / p('floor', 50)).toFixed(2)}`,
);
rmSync(dir, { recursive: true, force: true });
