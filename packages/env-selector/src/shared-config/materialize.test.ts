/**
 * Differential test of `materialize`: for every conformance vector and 2 000 fuzz files, parsing
 * with only one profile built must give exactly what a full parse gives for that profile (sections,
 * properties, values, lines), the same errors, the same diagnostics but those about unbuilt
 * profiles, the same permission warning, and, for a profile that stands alone, the same resolution
 * plan.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, hundredThousandSections } from '../../test/hostile/generate.js';
import { planProfile } from '../profile-provider/plan.js';
import { buildSharedConfig } from './merge.js';
import { parseConfigFile } from './parse.js';
import { permissionDiagnostic } from './permissions.js';
import { standsAlone } from './stands-alone.js';
import type { ConfigFileKind, ParsedConfigFile, SharedConfig } from './types.js';

const fixtures = new URL('../../test/fixtures/conformance/', import.meta.url);
const vectors: { name: string; input: { configFile?: string; credentialsFile?: string } }[] = JSON.parse(
  readFileSync(new URL('config-file-parser-tests.json', fixtures), 'utf8'),
).tests;

const ENV = { HOME: '/home/u' };
const ABSENT = 'no-such-profile-here';

type Outcome<T> =
  | { value: T }
  | { error: { name: string; code: unknown; message: string; details: unknown } };

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { value: run() };
  } catch (error: unknown) {
    const e = error as { name: string; code?: unknown; message: string; details?: unknown };
    return { error: { name: e.name, code: e.code, message: e.message, details: e.details } };
  }
}

interface Files {
  config?: string;
  credentials?: string;
}

function parse(files: Files, materialize?: ReadonlySet<string>) {
  const one = (text: string | undefined, kind: ConfigFileKind) =>
    text === undefined
      ? undefined
      : attempt(() => parseConfigFile(text, { kind, path: kind, ...(materialize && { materialize }) }));
  return { config: one(files.config, 'config'), credentials: one(files.credentials, 'credentials') };
}

/** What a lazy parse must still say about a file: everything but the profiles it leaves unbuilt. */
function fileView(parsed: ParsedConfigFile, keep: (name: string, type: string) => boolean) {
  return {
    sections: parsed.sections.filter((s) => keep(s.name, s.type)),
    diagnostics: parsed.diagnostics.filter((d) => d.profile === undefined || keep(d.profile, 'profile')),
    group: permissionDiagnostic(parsed, 0o640, 'linux'),
    world: permissionDiagnostic(parsed, 0o644, 'linux'),
  };
}

function merged(p: ReturnType<typeof parse>): SharedConfig | undefined {
  if ((p.config && !('value' in p.config)) || (p.credentials && !('value' in p.credentials)))
    return undefined;
  return buildSharedConfig({
    ...(p.config && 'value' in p.config && { config: p.config.value }),
    ...(p.credentials && 'value' in p.credentials && { credentials: p.credentials.value }),
  });
}

let checkedProfiles = 0;
let checkedPlans = 0;
let checkedSecrets = 0;
let checkedErrors = 0;

/** Compares a lazy parse for each name against the full parse; returns the names compared. */
function compare(files: Files, names?: string[]): void {
  const full = parse(files);
  const fullShared = merged(full);
  const candidates = names ?? [...(fullShared?.profiles.keys() ?? []), ABSENT];
  for (const name of candidates) {
    const wanted = new Set([name]);
    const keep = (n: string, type: string) => type !== 'profile' || n === name || n === 'default';
    const lazy = parse(files, wanted);
    for (const kind of ['config', 'credentials'] as const) {
      const f = full[kind];
      const l = lazy[kind];
      if (f === undefined || l === undefined) {
        expect(l).toBe(f);
        continue;
      }
      if ('error' in f) {
        checkedErrors++;
        expect(l).toEqual(f);
        continue;
      }
      expect('value' in l && fileView(l.value, keep)).toEqual(fileView(f.value, keep));
      if ('value' in l)
        expect(l.value.skipped?.sections).toBe(f.value.sections.length - l.value.sections.length);
      if (fileView(f.value, keep).world !== undefined) checkedSecrets++;
    }
    const lazyShared = merged(lazy);
    if (fullShared === undefined || lazyShared === undefined) {
      expect(lazyShared).toBe(fullShared);
      continue;
    }
    checkedProfiles++;
    expect(lazyShared.profiles.get(name)).toEqual(fullShared.profiles.get(name));
    expect([...lazyShared.ssoSessions]).toEqual([...fullShared.ssoSessions]);
    expect([...lazyShared.services]).toEqual([...fullShared.services]);
    // Diagnostics about profiles left unbuilt (parse and merge notes) are not reported.
    const about = (d: { profile?: string }) =>
      d.profile === undefined || d.profile === name || d.profile === 'default';
    expect(lazyShared.diagnostics).toEqual(fullShared.diagnostics.filter(about));
    const section = lazyShared.profiles.get(name);
    if (section !== undefined && standsAlone(section)) {
      checkedPlans++;
      expect(attempt(() => planProfile(lazyShared, name, ENV))).toEqual(
        attempt(() => planProfile(fullShared, name, ENV)),
      );
    }
  }
}

describe('parseConfigFile({ materialize }) against a full parse', () => {
  it('agrees on every conformance vector, for every profile', () => {
    for (const vector of vectors) {
      const files: Files = {
        ...(vector.input.configFile !== undefined && { config: vector.input.configFile }),
        ...(vector.input.credentialsFile !== undefined && { credentials: vector.input.credentialsFile }),
      };
      compare(files);
    }
    expect(checkedErrors).toBeGreaterThan(10);
    expect(checkedProfiles).toBeGreaterThan(100);
  });

  it('keeps the permission warning exact: duplicates, unbuilt sections, empty and upper-case secrets', () => {
    const before = checkedSecrets;
    const cases: Files[] = [
      // A secret redefined empty in an unbuilt section is no secret; one defined later is.
      { credentials: '[a]\naws_secret_access_key = s\naws_secret_access_key =\n[b]\nregion = x\n' },
      { credentials: '[a]\naws_secret_access_key =\naws_secret_access_key = s\n[b]\nregion = x\n' },
      // The same section twice: each header is its own section for the check.
      { credentials: '[a]\naws_session_token = t\n[b]\nregion = x\n[a]\naws_session_token =\n' },
      { config: '[profile a]\nAWS_SECRET_ACCESS_KEY = s\n[profile b]\naws_security_token = t\n' },
      {
        config:
          '[profile a]\naws_secret_access_key =\n  sub = s\n[profile b]\naws_session_token = t\n  more\n',
      },
      {
        config:
          '[default]\naws_secret_access_key = s\n[profile default]\nregion = x\n[profile c]\nregion = y\n',
      },
      { config: '[profile a]\naws_secret_access_key = s ; comment\n[profile a]\nregion = z\n' },
      // Plain lines read by slot (duplicates, an emptied secret), then by map (an unknown name
      // undoes the slot reading; a comment makes the section go on past the plain lines).
      {
        config:
          '[profile a]\nregion = x\nregion = y\naws_session_token = t\naws_session_token =  \n[profile b]\n',
      },
      { config: '[profile a]\nregion = x\nregion = y\ncli_pager =\naws_session_token = t\n[profile b]\n' },
      { config: '[profile a]\nregion = x\nregion = y\n# c\naws_session_token = t\n  sub\nregion = z' },
      { config: '[profile b]\n[profile a]\naws_session_token =\n  sub = 1\naws_secret_access_key = k' },
      // Values the fast reading must judge as the general path does: a comment after a blank is no
      // value, `#` right after `=` is one, so is any non-blank character; only blanks are none.
      { config: '[profile a]\naws_session_token = # c\n[profile b]\naws_secret_access_key =#x\n' },
      { config: '[profile a]\naws_session_token =\t; c\r\n[profile b]\naws_security_token = \u00a0\n' },
      { config: '[profile a]\naws_session_token =\u00a0x\n[profile b]\nregion = y\n' },
      { config: '[profile a]\naws_session_token_x = t\naws_secret_access_key\t=\ts\n[profile b]\n' },
      // The first section with a secret-looking line has none in effect; the next one has.
      {
        credentials:
          '[a]\naws_secret_access_key = s\naws_secret_access_key =\n[b] # c\n\n# c\n[c]\nregion = x\naws_session_token = t\naws_secret_access_key = s',
      },
    ];
    for (const files of cases) compare(files, ['a', 'b', 'c', 'default', ABSENT]);
    expect(checkedSecrets - before).toBeGreaterThan(20);
  });

  it('agrees on long runs of plain sections: windows of lines, line numbers after them, errors in them', () => {
    const plain = (from: number, count: number, kind: 'config' | 'credentials' = 'config') =>
      Array.from({ length: count }, (_, i) => {
        const header = kind === 'config' ? `[profile q${from + i}]` : `[q${from + i}]`;
        const comment = i % 7 === 0 ? ' # note\n\n; note\n' : '\n';
        return `${header}${comment}region = r${i}\naws_access_key_id = k${i}\n`;
      }).join('');
    const simple = (count: number) =>
      Array.from({ length: count }, (_, i) => `[profile s${i}]\nregion = r\noutput = json\n`).join('');
    const cases: Files[] = [
      // Over 1,024 lines before and after the built profile; the last line has no newline.
      { config: `${plain(0, 400)}[profile a]\nregion = a\n${plain(400, 400)}region = end` },
      // A line only the general path reads, deep into a run: it reads that whole section again.
      { config: `${plain(0, 500)}[profile x]\nregion = x\n  continued\n${plain(500, 10)}[profile a]\n` },
      { config: `${plain(0, 500)}[profile x]\nregion = x\nno equals sign\n${plain(500, 10)}[profile a]\n` },
      { config: `${plain(0, 300)}[profile x]\nRegion = x\n[profile a]\naws_secret_access_key = s\n` },
      // Exactly 1,024 plain lines (341 sections of three, one header), then the general path.
      { config: `${simple(341)}[profile last]\n[sso-session s]\nsso_region = y\n[profile a]\n` },
      { config: `${simple(341)}[profile a]\n` },
      {
        credentials: `${plain(0, 400, 'credentials')}[a]\naws_secret_access_key = s\n${plain(400, 300, 'credentials')}`,
      },
      { credentials: `${plain(0, 400, 'credentials')}[profile a]\nregion = x\n[a]\nregion = y\n` },
    ];
    const before = checkedProfiles;
    for (const files of cases) compare(files, ['a', 'q5', 'q450', 'x', ABSENT]);
    expect(checkedProfiles - before).toBeGreaterThan(15);
  });

  it('builds exactly the requested names, even with characters that mean something in a pattern', () => {
    const config =
      '[profile a.b]\nregion = x\n[profile axb]\nregion = y\n[profile a+]\nregion = z\n[profile aa]\n';
    compare({ config }, ['a.b', 'axb', 'a+', 'a', ABSENT]);
  });

  it('agrees on 2 000 seeded fuzz files', () => {
    for (let i = 0; i < 2_000; i++) {
      const g = generate(0x5eed, i);
      const files = { config: g.config, credentials: g.credentials };
      const names = [...(merged(parse(files))?.profiles.keys() ?? [])];
      // Every profile of small files; a spread of them in large ones.
      const sample =
        names.length <= 12 ? names : names.filter((_, k) => k % Math.ceil(names.length / 12) === 0);
      try {
        compare(files, [...sample, ABSENT]);
      } catch (error: unknown) {
        throw new Error(`fuzz file #${i} (${g.kind}): ${(error as Error).message}`);
      }
    }
    expect(checkedPlans).toBeGreaterThan(500);
  });

  it('builds one profile of 100 000 and still checks the rest', () => {
    const text = hundredThousandSections();
    compare({ config: text }, ['p99999', 'p5']);
    const broken = () =>
      parseConfigFile(`${text}[profile broken\n`, {
        kind: 'config',
        path: 'config',
        materialize: new Set(['p99999']),
      });
    expect(broken).toThrow(/^config:\d+: Section definition must end with '\]'/);
  });
});
