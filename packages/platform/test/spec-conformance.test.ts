import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { mergeSpec } from '../scripts/merge-spec.mjs';
import { compileResponseValidator } from '../src/openapi/operation-validators.js';
import { loadOpenApiDocument, type OpenApiDocument } from '../src/openapi/spec.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const REPO = here('../../..');

/**
 * Where the shared seed spec is: `shared/` beside the repository (development and CI), or, in a
 * git worktree, beside the main checkout the worktree belongs to.
 */
function sharedSeedCandidates(): string[] {
  const candidates = [resolve(REPO, '../shared/spec/admin-api.yaml')];
  const dotGit = resolve(REPO, '.git');
  if (existsSync(dotGit) && statSync(dotGit).isFile()) {
    // A worktree's `.git` file: `gitdir: <main>/.git/worktrees/<name>`.
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (gitdir) {
      const mainCheckout = dirname(resolve(REPO, gitdir, '../..'));
      candidates.push(resolve(mainCheckout, '../shared/spec/admin-api.yaml'));
    }
  }
  return candidates;
}
const PACKAGED_SEED = here('../openapi/seed.yaml');
const read = (path: string) => readFileSync(path, 'utf8');

describe('the served spec', () => {
  it('ships the seed spec unchanged', () => {
    // The shared folder sits beside the repository in development and CI: missing is a failure,
    // or the packaged copy could drift from the contract unnoticed.
    const candidates = sharedSeedCandidates();
    const shared = candidates.find((path) => existsSync(path));
    expect(shared, `the shared seed spec is missing; looked at ${candidates.join(', ')}`).toBeDefined();
    expect(read(PACKAGED_SEED)).toBe(read(shared as string));
    expect(YAML.parse(read(PACKAGED_SEED)).info.title).toBe('Truto Admin API');
  });

  it('is the seed merged with the documented additions', () => {
    const merged = mergeSpec(
      YAML.parse(read(PACKAGED_SEED)),
      YAML.parse(read(here('../openapi/additions.yaml'))),
    );
    expect(loadOpenApiDocument()).toEqual(merged);
  });

  it('only adds to the seed: every seed path, operation, response and property is still there', () => {
    const seed = YAML.parse(read(PACKAGED_SEED)) as OpenApiDocument;
    const served = loadOpenApiDocument();
    for (const [path, item] of Object.entries(seed.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const servedOp = served.paths[path]?.[method];
        expect(servedOp?.operationId, `${method} ${path}`).toBe(op.operationId);
        for (const status of Object.keys(op.responses ?? {}))
          expect(servedOp?.responses?.[status]).toBeDefined();
      }
    }
    for (const [name, schema] of Object.entries(seed.components.schemas)) {
      const props = Object.keys((schema.properties as object | undefined) ?? {});
      const servedProps = Object.keys(
        (served.components.schemas[name]?.properties as object | undefined) ?? {},
      );
      expect(servedProps, name).toEqual(expect.arrayContaining(props));
      expect(served.components.schemas[name]?.required ?? [], name).toEqual(schema.required ?? []);
    }
  });

  it('matches the committed generated types', async () => {
    const ast = await openapiTS(new URL('../openapi/admin-api.yaml', import.meta.url));
    // The CLI puts a banner comment first; the rest is what the library generates.
    const committed = read(here('../src/generated/admin-api.ts')).replace(/^\/\*\*[\s\S]*?\*\/\s*/, '');
    expect(committed.trim()).toBe(astToString(ast).trim());
  });
});

describe.each(DATABASE_KINDS)('a whole scenario checked against the seed spec file on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers every operation with a status and body the seed declares', async () => {
    // The packaged seed is the shared one (checked above), so it stands for the contract.
    const seed = YAML.parse(read(PACKAGED_SEED)) as OpenApiDocument;
    const validate = compileResponseValidator(seed);

    const created = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: { integration: 'testhr', name: 'Acme', credentials: { subdomain: 'acme', api_key: 'k' } },
    });
    const id = created.body.id as string;
    await h.call(
      'listIntegratedAccounts',
      'GET',
      '/integrated-accounts?integration=testhr&status=active&page=1&limit=5',
    );
    await h.call('listIntegratedAccounts', 'GET', '/integrated-accounts', { token: 'tc_api_wrong' });
    await h.call('getIntegratedAccount', 'GET', `/integrated-accounts/${id}`);
    await h.call('getIntegratedAccount', 'GET', '/integrated-accounts/acc_000000000000000000000000');
    await h.call('runPostInstallActions', 'POST', `/integrated-accounts/${id}/run-post-install-actions`);
    await h.call('createMcpServer', 'POST', `/integrated-accounts/${id}/mcp`, {
      body: { allowedMethods: ['list_employees'] },
    });
    await h.call('createMcpServer', 'POST', `/integrated-accounts/${id}/mcp`);
    await h.call('createLinkToken', 'POST', '/link-tokens', {
      body: {
        integration: 'testhr',
        externalId: 'u1',
        redirectUri: 'https://app.a.test/back',
        scopes: ['x'],
        metadata: { plan: 'pro' },
      },
    });
    await h.call('createLinkToken', 'POST', '/link-tokens', { body: { integration: 'testhr' }, token: null });
    await h.call('deleteIntegratedAccount', 'DELETE', `/integrated-accounts/${id}`);
    await h.call('deleteIntegratedAccount', 'DELETE', `/integrated-accounts/${id}`);
    await h.call('runPostInstallActions', 'POST', `/integrated-accounts/${id}/run-post-install-actions`);
    await h.call('createMcpServer', 'POST', `/integrated-accounts/${id}/mcp`, { body: {} });

    const statuses = h.recorded.map((r) => `${r.operationId} ${r.status}`);
    expect(statuses).toEqual([
      'createIntegratedAccount 201',
      'listIntegratedAccounts 200',
      'listIntegratedAccounts 401',
      'getIntegratedAccount 200',
      'getIntegratedAccount 404',
      'runPostInstallActions 200',
      'createMcpServer 201',
      'createMcpServer 201',
      'createLinkToken 201',
      'createLinkToken 401',
      'deleteIntegratedAccount 204',
      'deleteIntegratedAccount 404',
      'runPostInstallActions 404',
      'createMcpServer 404',
    ]);
    for (const r of h.recorded) {
      expect(validate(r.operationId, r.status, r.body), `${r.operationId} ${r.status}`).toEqual([]);
    }
  });
});
