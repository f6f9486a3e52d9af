import { createScriptedPrompter } from '@credkit/temp-creds/prompter';
import { describe, expect, it } from 'vitest';
import { isValidRegionName } from '../profile-provider/region.js';
import { describeProfiles } from '../profiles/list.js';
import { buildSharedConfig } from '../shared-config/merge.js';
import { parseConfigFile } from '../shared-config/parse.js';
import { resolveEnvironmentRegion } from './region.js';
import { KNOWN_REGIONS } from './regions.js';

const profile = (body: string) =>
  describeProfiles(
    buildSharedConfig({ config: parseConfigFile(`[profile p]\n${body}\n`, { kind: 'config', path: 'cfg' }) }),
  ).profiles[0]!;

describe('region names', () => {
  it('accepts every known region and well-formed new ones', () => {
    expect(KNOWN_REGIONS.length).toBeGreaterThanOrEqual(40);
    expect(KNOWN_REGIONS.every((r) => isValidRegionName(r.name))).toBe(true);
    for (const name of [
      'us-gov-west-1',
      'cn-northwest-1',
      'us-isob-east-1',
      'eusc-de-east-1',
      'ap-southeast-12',
    ]) {
      expect(isValidRegionName(name)).toBe(true);
    }
  });

  it('rejects anything else', () => {
    for (const name of [
      '',
      'us-east',
      'US-EAST-1',
      'us-east-1 ',
      'useast1',
      'us_east_1',
      'global',
      `us-${'a'.repeat(40)}-1`,
    ]) {
      expect(isValidRegionName(name)).toBe(false);
    }
  });
});

describe('resolveEnvironmentRegion', () => {
  it('takes --region first, then the profile region', async () => {
    const withRegion = profile('region = eu-west-3');
    expect(
      await resolveEnvironmentRegion({ flagRegion: 'us-west-2', profile: withRegion, interactive: false }),
    ).toEqual({
      region: 'us-west-2',
      from: 'flag',
    });
    expect(await resolveEnvironmentRegion({ profile: withRegion, interactive: false })).toEqual({
      region: 'eu-west-3',
      from: 'profile',
    });
  });

  it('rejects an invalid --region as a usage error', async () => {
    await expect(resolveEnvironmentRegion({ flagRegion: 'mars-1', interactive: true })).rejects.toMatchObject(
      {
        code: 'INVALID_REGION',
        exitCode: 2,
        message: '--region "mars-1" is not a valid region name.',
      },
    );
  });

  it('rejects an invalid profile region naming the file and line', async () => {
    const error = resolveEnvironmentRegion({
      profile: profile('output = json\nregion = moon'),
      interactive: false,
    });
    await expect(error).rejects.toMatchObject({ code: 'INVALID_REGION' });
    await expect(error).rejects.toMatchObject({ message: expect.stringContaining('(cfg:3)') });
  });

  it('without a terminal fails with REGION_REQUIRED naming --region', async () => {
    const error = resolveEnvironmentRegion({
      profile: profile('credential_process = x'),
      interactive: false,
    });
    await expect(error).rejects.toMatchObject({ code: 'REGION_REQUIRED', exitCode: 2 });
    await expect(error).rejects.toMatchObject({
      message: expect.stringContaining('--region'),
      hint: expect.stringContaining('add region = ... to profile "p"'),
    });
    await expect(resolveEnvironmentRegion({ interactive: true })).rejects.toMatchObject({
      code: 'REGION_REQUIRED',
    });
  });

  it('asks with the known regions, filterable', async () => {
    const prompter = createScriptedPrompter([{ expect: 'select', choose: 'eu-west-3' }]);
    const result = await resolveEnvironmentRegion({ prompter, interactive: true, envName: 'prod-iad' });
    expect(result).toEqual({ region: 'eu-west-3', from: 'prompt' });
    expect(prompter.calls[0]).toMatchObject({
      message: 'Which region should prod-iad be created in?',
      filter: true,
    });
    expect(prompter.calls[0]!.choices!.slice(0, 2)).toEqual(['us-east-1', 'us-east-2']);
    expect(prompter.calls[0]!.choices!.at(-1)).toBe('Another region...');
  });

  it('accepts only a valid name when another region is typed', async () => {
    const prompter = createScriptedPrompter([
      { choose: 'Another region...' },
      { expect: 'input', answer: 'not a region' },
      { expect: 'input', answer: 'ap-southeast-9' },
    ]);
    expect(await resolveEnvironmentRegion({ prompter, interactive: true })).toEqual({
      region: 'ap-southeast-9',
      from: 'prompt',
    });
    expect(prompter.calls[1]!.validationErrors).toEqual(['Not a valid region name (like us-east-1).']);
  });
});
