// React ships CommonJS only. This dev-server plugin serves `react` and `react-dom/client` to the
// browser tests as ES modules over one esbuild bundle, so both share one React instance.
import { build } from 'esbuild';

let bundle;
function vendorBundle() {
  bundle ??= build({
    stdin: {
      contents:
        "import * as React from 'react'; import * as ReactDOMClient from 'react-dom/client'; export { React, ReactDOMClient };",
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'esm',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
  }).then((result) => result.outputFiles[0].text);
  return bundle;
}

const modules = {
  '/__vendor__/react.js': "import { React } from './bundle.js'; export default React;",
  '/__vendor__/react-dom-client.js':
    "import { ReactDOMClient } from './bundle.js'; export default ReactDOMClient;",
};

export function reactVendorPlugin() {
  return {
    name: 'react-vendor',
    resolveImport({ source }) {
      if (source === 'react') return '/__vendor__/react.js';
      if (source === 'react-dom/client') return '/__vendor__/react-dom-client.js';
      return undefined;
    },
    async serve(context) {
      if (context.path === '/__vendor__/bundle.js') return { body: await vendorBundle(), type: 'js' };
      if (modules[context.path]) return { body: modules[context.path], type: 'js' };
      return undefined;
    },
  };
}
