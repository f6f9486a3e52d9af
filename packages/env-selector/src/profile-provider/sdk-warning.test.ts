import { STSClient } from '@aws-sdk/client-sts';
import { expect, it } from 'vitest';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';

it('keeps the SDK NodeVersionSupportWarning from being emitted, and leaves other warnings alone', async () => {
  const seen: string[] = [];
  const listener = (w: Error) => seen.push(w.message);
  process.on('warning', listener);
  try {
    await quietSdkNodeVersionWarning();
    new STSClient({ region: 'us-east-1' }).destroy();
    process.emitWarning('credkit-test-warning');
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('warning', listener);
  }
  expect(seen.some((m) => m.includes('NodeVersionSupportWarning'))).toBe(false);
  expect(seen).toContain('credkit-test-warning');
  expect(process.emitWarning.name).toBe('emitWarning');
});
