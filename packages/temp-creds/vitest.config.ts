import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

export default defineConfig({
  ...sharedTestConfig,
  test: {
    ...sharedTestConfig.test,
    env: {
      ...sharedTestConfig.test?.env,
      // These tests build AWS SDK clients themselves, as a harness (this package's code never does):
      // the SDK's own switch keeps its multi-line Node 20 notice out of the output. Packages whose
      // code creates SDK clients test credkit's own quieting instead (quietSdkNodeVersionWarning).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
