import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

/** The tarball `pnpm pack` makes, unpacked into a project's node_modules beside Lit. */
describe('the widget as packed', () => {
  let project: string;
  let files: string[];
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'truto-widget-packed-'));
    execFileSync('pnpm', ['pack', '--pack-destination', project], { cwd: pkgDir, stdio: 'ignore' });
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz')) as string;
    files = execFileSync('tar', ['-tzf', join(project, tarball)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const target = join(project, 'node_modules', '@truto-connect', 'widget');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(project, tarball), '-C', target, '--strip-components=1']);
    // Lit as a user's install provides it: pnpm keeps Lit's dependencies beside it.
    const lit = realpathSync(join(pkgDir, 'node_modules', 'lit'));
    for (const dep of ['lit', '@lit/reactive-element', 'lit-html', 'lit-element', '@lit-labs/ssr-dom-shim']) {
      const from = join(dirname(lit), dep);
      if (!existsSync(from)) continue;
      mkdirSync(dirname(join(project, 'node_modules', dep)), { recursive: true });
      symlinkSync(from, join(project, 'node_modules', dep));
    }
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('holds the built files, the bundle and the manifest, and no sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/custom-elements.json',
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/dist/define.js',
        'package/dist/truto-connect.js',
      ]),
    );
    expect(files.filter((f) => /\.test\.|\/src\/|\/test\//.test(f))).toEqual([]);
  });

  it('resolves every export for an ESM project, and imports in Node', () => {
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', type: 'module', private: true }),
    );
    const script = `
      const m = await import('@truto-connect/widget');
      const d = await import('@truto-connect/widget/define');
      const manifest = (await import('@truto-connect/widget/custom-elements.json', { with: { type: 'json' } })).default;
      console.log(JSON.stringify({
        element: typeof m.TrutoConnectElement,
        same: d.TrutoConnectElement === m.TrutoConnectElement,
        registered: customElements.get('truto-connect') === m.TrutoConnectElement,
        bundle: import.meta.resolve('@truto-connect/widget/truto-connect.js').endsWith('/dist/truto-connect.js'),
        manifest: manifest.schemaVersion !== undefined,
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      element: 'function',
      same: true,
      registered: true,
      bundle: true,
      manifest: true,
    });
  });
});
