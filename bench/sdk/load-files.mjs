// Baseline: the AWS SDK's own shared-config loader reading both files, nothing else.
import { loadSharedConfigFiles } from '@smithy/core/config';

const files = await loadSharedConfigFiles();
process.stdout.write(`${Object.keys(files.configFile).length}\n`);
