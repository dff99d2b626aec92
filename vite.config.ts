import { defineConfig } from 'vitest/config';

// One config for the dev server, the production build and the test runner.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
