import { describe, expect, it } from 'vitest';
import { buildSharedConfig } from './merge.js';
import { parseConfigFile } from './parse.js';

const config = (text: string) => parseConfigFile(text, { kind: 'config', path: '/h/.aws/config' });
const credentials = (text: string) =>
  parseConfigFile(text, { kind: 'credentials', path: '/h/.aws/credentials' });
const codes = (text: string, kind: 'config' | 'credentials' = 'config') =>
  (kind === 'config' ? config(text) : credentials(text)).diagnostics.map((d) => `${d.code}@${d.line}`);

describe('parseConfigFile', () => {
  it('records the file and line of every section and property', () => {
    const parsed = config(
      '# c\n[profile a]\nregion = eu-west-3\n\n[profile b]\ns3 =\n  max_concurrent_requests = 4\n',
    );
    expect(parsed.sections.map((s) => [s.name, s.line])).toEqual([
      ['a', 2],
      ['b', 5],
    ]);
    expect(parsed.sections[0]!.properties.get('region')).toMatchObject({ file: '/h/.aws/config', line: 3 });
    const s3 = parsed.sections[1]!.properties.get('s3')!;
    expect(s3.line).toBe(6);
    expect(s3.subProperties!.get('max_concurrent_requests')).toEqual({ value: '4', line: 7 });
  });

  it('reports errors as CONFIG_PARSE_ERROR naming the file and line', () => {
    expect(() => config('[profile a]\nregion = x\n\n[profile b\n')).toThrowError(
      expect.objectContaining({
        code: 'CONFIG_PARSE_ERROR',
        message: expect.stringContaining("/h/.aws/config:4: Section definition must end with ']'"),
        details: { file: '/h/.aws/config', line: 4 },
      }),
    );
  });

  it('rejects text after a header, however the header is written', () => {
    for (const header of ['[profile a] junk', '[profile a]\tjunk', '[a] junk', '[ profile a ] junk']) {
      expect(() => config(`${header}\n`)).toThrowError(
        expect.objectContaining({ details: { file: '/h/.aws/config', line: 1 } }),
      );
    }
    expect(() => credentials('[a] junk\n')).toThrowError(
      expect.objectContaining({ code: 'CONFIG_PARSE_ERROR' }),
    );
    expect(
      config('[profile a]  \t# fine\n[profile b]\t; fine\n[profile c]\t\n').sections.map((s) => s.name),
    ).toEqual(['a', 'b', 'c']);
  });

  it('never puts a line of the file into an error (it could hold a secret)', () => {
    try {
      config('[default]\naws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n');
      expect.unreachable();
    } catch (error: unknown) {
      expect(JSON.stringify(error) + String(error)).not.toContain('wJalr');
    }
  });

  it('handles CRLF, a BOM and NUL bytes', () => {
    const parsed = config('\uFEFF[profile a]\r\nregion = us-east-1\r\nx = a\u0000b\r\n');
    expect(parsed.sections[0]!.name).toBe('a');
    expect(parsed.sections[0]!.properties.get('region')!.value).toBe('us-east-1');
    expect(parsed.sections[0]!.properties.get('x')!.value).toBe('a\u0000b');
  });

  it('accepts __proto__ and constructor as names without touching prototypes', () => {
    const shared = buildSharedConfig({
      config: config('[profile __proto__]\nconstructor = 1\n[profile constructor]\n'),
    });
    expect([...shared.profiles.keys()]).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('diagnostics', () => {
  it('flags duplicate sections and properties (the AWS CLI v2 refuses them)', () => {
    expect(codes('[profile a]\nx = 1\nx = 2\n[profile a]\ny = 1\n')).toEqual([
      'DUPLICATE_PROPERTY@3',
      'DUPLICATE_SECTION@4',
    ]);
  });

  it('flags [default] shadowed by [profile default]', () => {
    const shared = buildSharedConfig({
      config: config('[default]\nregion = a\n[profile default]\nregion = b\n'),
    });
    expect(shared.diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['DEFAULT_SHADOWED@1']);
    expect(shared.profiles.get('default')!.properties.get('region')!.value).toBe('b');
  });

  it('flags a config section without the profile prefix', () => {
    expect(codes('[prod]\nregion = a\n')).toEqual(['CONFIG_SECTION_IGNORED@1']);
  });

  it('flags [profile x] and [sso-session x] in the credentials file', () => {
    expect(codes('[profile x]\na = 1\n[sso-session s]\n', 'credentials')).toEqual([
      'CREDENTIALS_SECTION_IGNORED@1',
      'SDK_JS_SECTION_HEADER@1',
      'CREDENTIALS_SECTION_IGNORED@3',
      'SDK_JS_SECTION_HEADER@3',
    ]);
  });

  it('flags invalid names', () => {
    expect(codes('[profile in valid]\n[profile ok]\nbad name = 1\n')).toEqual([
      'INVALID_NAME@1',
      'INVALID_NAME@3',
    ]);
  });

  describe('where the AWS SDK for JavaScript reads the file differently', () => {
    it('property names that are not lower case', () => {
      expect(codes('[profile a]\nAWS_Access_Key_Id = AKIA\n')).toEqual(['SDK_JS_PROPERTY_CASE@2']);
    });

    it('continuation lines and sub-properties', () => {
      expect(codes('[profile a]\nx = 1\n  more\n  more\ns3 =\n  k = v\n')).toEqual([
        'SDK_JS_CONTINUATION@2',
        'SDK_JS_SUB_PROPERTY@5',
      ]);
    });

    it('a comment right after ], whitespace inside brackets, two spaces, quotes', () => {
      const parsed = config(
        '[profile a]# c\n[ profile b ]\n[profile  c]\n[profile "d"]\n[profile e] # fine\n',
      );
      expect(parsed.diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual([
        'SDK_JS_SECTION_HEADER@1',
        'SDK_JS_SECTION_HEADER@2',
        'SDK_JS_SECTION_HEADER@3',
        'INVALID_NAME@4',
        'SDK_JS_SECTION_HEADER@4',
      ]);
      expect(parsed.diagnostics[0]!.message).toContain('comment right after');
      expect(parsed.diagnostics[0]!.message).toContain('adds the properties below it to the section before');
      expect(parsed.diagnostics[1]!.message).toContain('whitespace');
      expect(parsed.diagnostics[4]!.message).toContain('reads it as profile "d"');
    });

    it('whitespace inside brackets in the credentials file names another profile for the SDK', () => {
      const [diagnostic] = credentials('[ foo ]\nx = 1\n').diagnostics;
      expect(diagnostic).toMatchObject({ code: 'SDK_JS_SECTION_HEADER', line: 1, profile: 'foo' });
      expect(diagnostic!.message).toContain('reads it as profile " foo "');
    });

    it('stays quiet on files both read the same way', () => {
      const text =
        '[default]\nregion = us-east-1\n[profile a] ; c\nrole_arn = arn\nsource_profile = default\n[sso-session s]\nsso_region = us-east-1\n';
      expect(config(text).diagnostics).toEqual([]);
      expect(credentials('[default]\naws_access_key_id = A\n[a]\nx = 1\n').diagnostics).toEqual([]);
    });
  });
});
