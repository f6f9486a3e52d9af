import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

export default defineConfig({
  ...sharedTestConfig,
  test: {
    ...sharedTestConfig.test,
    // The e2e tests spawn dist/credkit.js; build it first when it is missing or stale.
    globalSetup: ['../../vitest.global-setup.ts', './test/global-setup.ts'],
  },
});
