import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProfiles } from './list.js';

// Listing 10,000 profiles (about 1.1 MB, read from a real file) gives every profile once, in file
// order, masked. How fast, and how it scales against 1,000, is measured by `npm run bench`
// (bench/RESULTS.md) rather than asserted here: timings on a shared machine make flaky tests.
function config(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(16, '0');
    parts.push(
      `[profile p${i}]\nregion = us-east-1\naws_access_key_id = AKIA${n}\naws_secret_access_key = ${'s'.repeat(24)}${n}\n`,
    );
  }
  return parts.join('');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-scale-'));
  await writeFile(join(dir, 'large'), config(10_000));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('listing 10 000 profiles', () => {
  it('lists every profile once, in file order, with secrets masked', async () => {
    const listing = await listProfiles({
      env: {},
      configFile: join(dir, 'large'),
      credentialsFile: join(dir, 'none'),
    });
    expect(listing.profiles).toHaveLength(10_000);
    expect(listing.profiles[0]?.name).toBe('p0');
    expect(listing.profiles.at(-1)?.name).toBe('p9999');
    const last = listing.profiles.at(-1)!;
    expect(last.kind).toBe('static');
    expect(last.region).toBe('us-east-1');
    const secret = last.properties.find((p) => p.name === 'aws_secret_access_key');
    expect(secret).toMatchObject({ masked: true, value: `${'*'.repeat(16)}9999`, line: 4 * 9999 + 4 });
  });
});
