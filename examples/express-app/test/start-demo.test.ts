/**
 * `pnpm start`'s script as a newcomer runs it (without the build step): a child process in an
 * empty folder, with the documented environment variables; the address comes first, the token
 * given is the tenant's, and everything is still there after a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../packages/platform/test/support/chromium.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/start-demo.mjs', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'truto-start-'));
const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

/** Starts the script; resolves with its output once it says how to stop it, or once it exits. */
function start(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: string; code?: number | null }> {
  const child = spawn(process.execPath, [SCRIPT], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Stop with Ctrl+C')) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ child, output, code });
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

describe('scripts/start-demo.mjs', () => {
  it('prints the app first, honours the ports and DEMO_API_TOKEN, and keeps its data across a restart', async () => {
    const [port, platformPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      PORT: String(port),
      PLATFORM_PORT: String(platformPort),
      SANDBOX_PORT: String(sandboxPort),
      DEMO_API_TOKEN: 'tc_api_start_demo_test_token_of_32_chars_or_more',
    };
    const first = await start(env);
    expect(first.output.split('\n')[0]).toBe(`http://localhost:${port}`);
    expect(first.output).toContain(`http://localhost:${platformPort}`);
    expect(first.output).toContain(`http://localhost:${sandboxPort}`);
    expect(first.output).not.toContain(env.DEMO_API_TOKEN);
    expect(existsSync(join(cwd, '.data', 'demo.sqlite'))).toBe(true);
    expect(existsSync(join(cwd, '.data', 'example-app.sqlite'))).toBe(true);

    const app = await fetch(`http://localhost:${port}/`, { redirect: 'manual' });
    expect(app.headers.get('location')).toBe('/sign-in');
    const accounts = await fetch(`http://localhost:${platformPort}/integrated-accounts`, {
      headers: { authorization: `Bearer ${env.DEMO_API_TOKEN}` },
    });
    expect(accounts.status).toBe(200);
    const created = await fetch(`http://localhost:${platformPort}/integrated-accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.DEMO_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ integration: 'acmehr', credentials: { api_key: 'sandbox-demo-key' } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await stop(first.child)).toBe(0);

    const again = await start(env);
    const tenant = (text: string) => /Demo tenant:\s+(\S+)/.exec(text)?.[1];
    expect(tenant(again.output)).toBe(tenant(first.output));
    const kept = await fetch(`http://localhost:${platformPort}/integrated-accounts/${id}`, {
      headers: { authorization: `Bearer ${env.DEMO_API_TOKEN}` },
    });
    expect(kept.status).toBe(200);
    expect(await stop(again.child)).toBe(0);
  });

  it('refuses a port that is not a number, saying which variable', async () => {
    const { output, code } = await start({ PORT: 'three thousand' });
    expect(code).toBe(64);
    expect(output).toContain('PORT must be a port number');
  });
});
