import { defineConfig } from 'vitest/config';

// The repository's own checks (scripts/*.test.ts), run by `npm test` before the packages' suites.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['*.test.ts'],
    globalSetup: ['../vitest.global-setup.ts'],
    testTimeout: 120_000,
  },
});
