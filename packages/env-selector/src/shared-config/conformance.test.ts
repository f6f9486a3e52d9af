import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfigLocations } from './locations.js';
import { buildSharedConfig } from './merge.js';
import { parseConfigFile } from './parse.js';
import type { ConfigSection } from './types.js';

// The cross-SDK vectors, carried into the repo unchanged (see test/fixtures/conformance/README.md).
const fixtures = new URL('../../test/fixtures/conformance/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

interface ParserCase {
  name: string;
  input: { configFile?: string; credentialsFile?: string };
  output: {
    profiles?: Record<string, unknown>;
    ssoSessions?: Record<string, unknown>;
    errorContaining?: string;
  };
}

interface LocationCase {
  name: string;
  environment: Record<string, string>;
  languageSpecificHome?: string;
  platform: string;
  configLocation: string;
  credentialsLocation: string;
}

function standardView(sections: ReadonlyMap<string, ConfigSection>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, section] of sections) {
    const properties: Record<string, unknown> = {};
    for (const [key, property] of section.properties) {
      if (property.subProperties === undefined) {
        properties[key] = property.value;
      } else {
        properties[key] = Object.fromEntries([...property.subProperties].map(([k, v]) => [k, v.value]));
      }
    }
    out[name] = properties;
  }
  return out;
}

function run(input: ParserCase['input']) {
  return buildSharedConfig({
    ...(input.configFile === undefined
      ? {}
      : { config: parseConfigFile(input.configFile, { kind: 'config', path: 'config' }) }),
    ...(input.credentialsFile === undefined
      ? {}
      : {
          credentials: parseConfigFile(input.credentialsFile, { kind: 'credentials', path: 'credentials' }),
        }),
  });
}

const parserCases: ParserCase[] = load('config-file-parser-tests.json').tests;
const locationCases: LocationCase[] = load('config-file-location-tests.json').tests;

describe('config-file-parser-tests.json', () => {
  it('holds all 118 cases', () => {
    expect(parserCases).toHaveLength(118);
  });

  it.each(parserCases.map((c, i) => [`#${i + 1} ${c.name}`, c] as const))('%s', (_, testCase) => {
    const { output } = testCase;
    if (output.errorContaining !== undefined) {
      let thrown: unknown;
      try {
        run(testCase.input);
      } catch (error: unknown) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ name: 'CredkitError', code: 'CONFIG_PARSE_ERROR' });
      expect((thrown as Error).message).toContain(output.errorContaining);
      expect((thrown as { details: { line: number } }).details.line).toBeGreaterThan(0);
      return;
    }
    const shared = run(testCase.input);
    if (output.profiles !== undefined) expect(standardView(shared.profiles)).toEqual(output.profiles);
    if (output.ssoSessions !== undefined)
      expect(standardView(shared.ssoSessions)).toEqual(output.ssoSessions);
  });
});

describe('config-file-location-tests.json', () => {
  it('holds all 10 cases', () => {
    expect(locationCases).toHaveLength(10);
  });

  it.each(locationCases.map((c, i) => [`#${i + 1} ${c.name}`, c] as const))('%s', (_, testCase) => {
    const locations = resolveConfigLocations({
      env: testCase.environment,
      platform: testCase.platform,
      // "ignored" in a case means the value must not be used; pass it anyway to prove that.
      homedir: testCase.languageSpecificHome ?? 'ignored-language-home',
    });
    expect(locations.configFile).toBe(testCase.configLocation);
    expect(locations.credentialsFile).toBe(testCase.credentialsLocation);
  });
});
