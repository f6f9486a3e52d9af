import type { ViteUserConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `source` export condition),
// so a test never runs against a stale dist/ of a sibling package.
export const sharedTestConfig: ViteUserConfig = {
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A private TMPDIR per package run that must be empty at the end (no test leaves temp dirs).
    globalSetup: ['../../vitest.global-setup.ts'],
    // Hang guards only: on 2 cores shared with busy neighbours an end-to-end file was seen taking 10x
    // its idle time, and a test must never fail for being slow.
    testTimeout: 120_000,
    // The JSON report feeds the one-line summary that .ci/run prints (scripts/test-summary.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    hookTimeout: 120_000,
    // Tests never read the developer's real ~/.aws or credentials from the shell.
    env: {
      AWS_CONFIG_FILE: '/nonexistent/credkit-test/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credkit-test/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  },
};
