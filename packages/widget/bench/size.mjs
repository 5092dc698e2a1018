// `pnpm bench` for the widget: the gzip size of dist/truto-connect.js beside the browser SDKs of
// Truto, Nango, Pipedream and Paragon, each bundled and minified the same way (Vite library
// build, Rolldown minifier, ES2022, gzip level 9) in this run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 10 * 1024;

// What an app imports to open each product's connect UI.
const entries = {
  '<truto-connect> (ours, dist/truto-connect.js)': `export * from ${JSON.stringify(join(root, 'src/bundle.ts'))};`,
  'Truto link SDK (@truto/truto-link-sdk)':
    "import authenticate from '@truto/truto-link-sdk'; export { authenticate };",
  'Nango frontend (@nangohq/frontend)': "import Nango from '@nangohq/frontend'; export { Nango };",
  'Pipedream browser SDK (@pipedream/sdk/browser)':
    "export { createFrontendClient } from '@pipedream/sdk/browser';",
  'Paragon connect SDK (@useparagon/connect)':
    "import { paragon } from '@useparagon/connect'; export { paragon };",
};

async function bundleSize(name, source, dir) {
  const entry = join(dir, `${Object.keys(entries).indexOf(name)}.js`);
  writeFileSync(entry, source);
  const output = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      lib: { entry, formats: ['es'], fileName: () => 'out.js' },
      minify: true,
      target: 'es2022',
      rolldownOptions: { output: { minify: true, codeSplitting: false } },
    },
  });
  const chunks = (Array.isArray(output) ? output : [output])
    .flatMap((o) => o.output)
    .filter((c) => c.type === 'chunk');
  const code = chunks.map((c) => c.code).join('\n');
  return { raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
}

const dir = mkdtempSync(join(root, '.bench-tmp-'));
const rows = [];
try {
  for (const [name, source] of Object.entries(entries)) {
    try {
      rows.push({ name, ...(await bundleSize(name, source, dir)) });
    } catch (error) {
      rows.push({ name, error: error.message.split('\n')[0] });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const kib = (n) => `${(n / 1024).toFixed(2)} KiB`;
const ours = rows[0];
console.log('Bundle size, minified + gzip -9 (same Vite/Rolldown build for every entry):');
for (const row of rows) {
  if (row.error) {
    console.log(`  ${row.name.padEnd(50)} could not be bundled: ${row.error}`);
    continue;
  }
  const ratio = row === ours ? '' : `  (ours is ${(ours.gzip / row.gzip).toFixed(2)}x its size)`;
  console.log(
    `  ${row.name.padEnd(50)} ${kib(row.gzip).padStart(11)} gzip  ${kib(row.raw).padStart(12)} raw${ratio}`,
  );
}
// complete-url is an attribute of the same element: the completion step is always in the bundle,
// so a page that sets it loads exactly these bytes.
console.log(
  `  ${'<truto-connect> with complete-url (same bundle)'.padEnd(50)} ${kib(ours.gzip).padStart(11)} gzip`,
);
console.log(`  target: ours <= ${kib(LIMIT)} gzip -> ${ours.gzip <= LIMIT ? 'met' : 'NOT met'}`);
