import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DATABASE_KINDS,
  TEST_SECRET_KEY,
  type TestDatabase,
} from './support/databases.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    ...(cwd ? { cwd } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `truto-platform serve --port 0` and waits for its "listening" line. */
async function serve(args: string[], env: Record<string, string>, cwd?: string) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    ...(cwd ? { cwd } : {}),
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const parsed = JSON.parse(line) as { url?: string; msg?: string };
        if (parsed.msg?.startsWith('truto-platform listening') && parsed.url) resolve(parsed.url);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${lines.join('\n')}`)));
  });
  return { child, url, lines };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `pnpm build` first (pnpm test does)');
});

describe('truto-platform', () => {
  it('prints help, and refuses unknown commands and options with exit 64', () => {
    expect(run(['--help']).stdout).toContain('tenants create --name NAME');
    const unknown = run(['frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown command');
    expect(run(['serve', '--bogus']).code).toBe(64);
    expect(run(['tenants', 'create']).stderr).toContain('--name');
  });

  it('generates the embedded key file (0600) on first start and says so', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'truto-cli-'));
    const { child, lines } = await serve([], {}, cwd);
    expect(await stop(child)).toBe(0);
    const keyFile = join(cwd, '.data', 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain('generated a new credentials key');
    expect(lines.join('\n')).not.toMatch(/"key":/);
  });

  it('closes cleanly on a SIGTERM sent while it is still starting', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'truto-cli-'));
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd,
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Migrations are logged while the platform is being created, before it listens.
      if (output.includes('applied schema migrations') && !child.killed) child.kill('SIGTERM');
    });
    expect(await exited).toBe(0);
    // Closed cleanly, whether the signal was taken before or while it started listening.
    expect(output).toContain('"signal":"SIGTERM"');
  });

  it('refuses PostgreSQL without TRUTO_SECRET_KEY', () => {
    const result = run(['serve', '--port', '0', '--database', 'postgres://nobody@127.0.0.1:1/x'], {
      TRUTO_SECRET_KEY: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TRUTO_SECRET_KEY is required with PostgreSQL');
  });

  it('refuses a --trust-proxy or TRUST_PROXY value Express cannot read, before opening anything', () => {
    const database = join(mkdtempSync(join(tmpdir(), 'truto-cli-')), 'db.sqlite');
    const flag = run(['serve', '--port', '0', '--database', database, '--trust-proxy', '10.0.0.1,bogus']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('invalid IP address: bogus');
    const env = run(['serve', '--port', '0', '--database', database], { TRUST_PROXY: '10.0.0.1,,' });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('trust proxy');
    expect(existsSync(database)).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('truto-platform on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('migrates once, idempotently', () => {
    const first = run(['migrate', '--database', database.url]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      applied: [
        '0001-initial',
        '0002-signing-keys',
        '0003-link-flows',
        '0004-webhook-outbox',
        '0005-link-flow-secrets',
        '0006-sealed-oauth-states',
        '0007-tenant-disable',
        '0008-idempotency-keys',
        '0009-mcp-serving',
      ],
    });
    expect(JSON.parse(run(['migrate'], { DATABASE_URL: database.url }).stdout)).toEqual({ applied: [] });
  });

  it('creates a tenant whose token works against `serve`, which stops cleanly on SIGTERM', async () => {
    const created = run([
      'tenants',
      'create',
      '--name',
      'Acme',
      '--database',
      database.url,
      '--allowed-origin',
      'https://app.acme.test/',
      '--webhook-url',
      'https://app.acme.test/hooks',
    ]);
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { tenantId, apiToken } = JSON.parse(lines[0] as string);
    expect(tenantId).toMatch(/^ten_/);
    expect(apiToken).toMatch(/^tc_api_/);

    const {
      child,
      url,
      lines: logs,
    } = await serve(['--public-url', 'https://connect.acme.test'], {
      DATABASE_URL: database.url,
      TRUTO_SECRET_KEY: TEST_SECRET_KEY,
    });
    try {
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
      const link = await fetch(`${url}/link-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          integration: 'bamboohr',
          externalId: 'u1',
          redirectUri: 'https://app.acme.test/back',
        }),
      });
      expect(link.status).toBe(201);
      const body = (await link.json()) as { linkUrl: string; token: string };
      expect(body.linkUrl.startsWith('https://connect.acme.test/link/connect?link_token=')).toBe(true);
      const denied = await fetch(`${url}/integrated-accounts`, { headers: { authorization: 'Bearer nope' } });
      expect(denied.status).toBe(401);
      expect(logs.join('\n')).not.toContain(apiToken);
      expect(logs.join('\n')).not.toContain(body.token);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('refuses a malformed allowed origin', () => {
    const result = run([
      'tenants',
      'create',
      '--name',
      'X',
      '--database',
      database.url,
      '--allowed-origin',
      'https://a.test/path',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('must be an origin only');
  });
});
