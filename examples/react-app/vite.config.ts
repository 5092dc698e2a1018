import { defineConfig } from 'vite';

// Built into dist/ and served by the example Express app at /react/, so the page shares the
// app's origin, session cookie and /truto routes (the helper refuses cross-site posts, and the
// platform answers only the tenant's allowed origins).
export default defineConfig({
  base: '/react/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
