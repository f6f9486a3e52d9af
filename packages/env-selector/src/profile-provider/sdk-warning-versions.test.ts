import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The one behaviour CI has seen differ between Node 20, 22 and 24: the AWS SDK prints a multi-line
// NodeVersionSupportWarning on Node < 22 only. This pins it on every version CI runs, so the day it
// changes (a new SDK, a new Node) the quieting in sdk-warning.ts is looked at again.
it(`the AWS SDK alone prints its Node-version notice on Node < 22 only (this is ${process.version})`, async () => {
  const env = { ...process.env };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { STSClient } = await import('@aws-sdk/client-sts'); new STSClient({ region: 'us-east-1' }).destroy();",
    ],
    { cwd: fileURLToPath(new URL('.', import.meta.url)), env },
  );
  const major = Number(process.versions.node.split('.')[0]);
  expect(stderr.includes('NodeVersionSupportWarning')).toBe(major < 22);
});
