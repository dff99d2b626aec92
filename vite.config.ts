import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './scripts/labServer.ts';

// One config for the lab (dev server and production build) and the test runner.
export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs: the built lab works from any path it is served under.
  base: './',
  // static/ is served as is: the sample runs and their analysis.
  publicDir: 'static',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
  // Cross-origin isolated, as `npm start` serves it: the train worker then runs tfjs-wasm with threads.
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true, headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/labBuild.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
