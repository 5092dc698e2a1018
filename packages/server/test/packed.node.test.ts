/**
 * The package as users get it: `pnpm pack`, unpacked into a fresh project's node_modules beside
 * its dependencies, then imported by plain ESM (the middleware answers on Express) and
 * type-checked by a TypeScript project; plus publint on the package.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Links a package the way an install would place it (its own dependencies resolve beside it). */
function link(project: string, name: string, from = join(pkgDir, 'node_modules', name)) {
  const target = join(project, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(from), target);
}

describe('@truto-connect/server as packed', () => {
  let project: string;
  let files: string[];
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'truto-server-packed-'));
    execFileSync('pnpm', ['pack', '--pack-destination', project], { cwd: pkgDir, stdio: 'ignore' });
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz')) as string;
    files = execFileSync('tar', ['-tzf', join(project, tarball)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const target = join(project, 'node_modules', '@truto-connect', 'server');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(project, tarball), '-C', target, '--strip-components=1']);
    for (const name of ['jose', 'openapi-fetch', 'undici', 'express', '@types/express']) link(project, name);
    // From the workspace root.
    for (const name of ['typescript', '@types/node']) {
      link(project, name, dirname(require.resolve(`${name}/package.json`)));
    }
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('holds the built files and README, and no sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/dist/generated/admin-api.d.ts',
      ]),
    );
    expect(files.filter((f) => /\.test\.|\/src\/|\/test\/|\/bench\//.test(f))).toEqual([]);
  });

  it('imports in plain ESM and answers on Express', () => {
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', type: 'module', private: true }),
    );
    const script = `
      import express from 'express';
      import { trutoConnect, createAdminClient, TRUTO_CONNECT_ERROR_CODES } from '@truto-connect/server';
      const app = express();
      app.use('/truto', trutoConnect({
        baseUrl: 'http://127.0.0.1:9', apiToken: 'tc_api_x',
        externalId: () => undefined, onConnected: async () => {},
      }));
      const server = app.listen(0, '127.0.0.1', async () => {
        const res = await fetch('http://127.0.0.1:' + server.address().port + '/truto/link-token', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"integration":"acmehr"}',
        });
        console.log(JSON.stringify({
          status: res.status, body: await res.json(),
          client: typeof createAdminClient({ baseUrl: 'http://127.0.0.1:9', apiToken: 'x' }).listIntegratedAccounts,
          codes: TRUTO_CONNECT_ERROR_CODES.includes('wrong_tenant'),
        }));
        server.close();
      });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'sign in first' },
      client: 'function',
      codes: true,
    });
  });

  it('type-checks a TypeScript project that uses it with Express', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          noEmit: true,
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );
    writeFileSync(
      join(project, 'app.ts'),
      `import express from 'express';
import { type Connection, createAdminClient, type IntegratedAccount, trutoConnect } from '@truto-connect/server';
const app = express();
const saved: Connection[] = [];
app.use('/truto', trutoConnect({
  baseUrl: 'https://connect.acme.test',
  apiToken: 'tc_api_x',
  externalId: (req) => req.get('x-user'),
  onConnected: async (connection) => { saved.push(connection); },
  onEvent: async (event) => { console.log(event.type, event.data.integratedAccountId); },
  integrations: ['acmehr'],
  redirect: { success: '/settings', failure: '/settings' },
}));
const admin = createAdminClient({ baseUrl: 'https://connect.acme.test', apiToken: 'tc_api_x' });
export async function names(): Promise<string[]> {
  const list = await admin.listIntegratedAccounts({ integration: 'acmehr', limit: 10 });
  return (list.data ?? []).map((account: IntegratedAccount) => account.name ?? account.id ?? '');
}
`,
    );
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
    expect(out).toBe('');
  }, 120_000);

  it('passes publint', async () => {
    const { messages } = await publint({ pkgDir, strict: true });
    expect(messages).toEqual([]);
  });
});
