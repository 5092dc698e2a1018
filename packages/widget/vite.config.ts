import { defineConfig } from 'vite';

// dist/truto-connect.js: one self-contained, minified ES module (Lit included) for plain pages.
export default defineConfig({
  build: {
    lib: { entry: 'src/bundle.ts', formats: ['es'], fileName: () => 'truto-connect.js' },
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    target: 'es2022',
    sourcemap: true,
    // Library builds keep whitespace by default (for re-bundling); this file is loaded as it is.
    rolldownOptions: { output: { minify: true } },
  },
});
