/**
 * Seeded generators of hostile shared config/credentials files for the fuzz test (issue 7). Every
 * file is a pure function of (seed, iteration), so a failure is replayed with CREDKIT_FUZZ_SEED and
 * the iteration number printed by the test.
 */
import { readFileSync } from 'node:fs';

/** mulberry32: tiny, fast, good enough to spread inputs; not for anything secret. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)]!;

/** A secret that must never come back out of credkit (errors, diagnostics, listings). */
export const FUZZ_SECRET = 'FUZZsecretZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
export const FUZZ_TOKEN = `FUZZtoken${'Z'.repeat(40)}`;

interface Fixture {
  configFile?: string;
  credentialsFile?: string;
}

/** The cross-SDK parser vectors: realistic, edge-case-heavy seeds for mutation. */
export const FIXTURES: Fixture[] = (() => {
  const url = new URL('../fixtures/conformance/config-file-parser-tests.json', import.meta.url);
  const doc = JSON.parse(readFileSync(url, 'utf8')) as { tests: { input: Fixture }[] };
  return doc.tests
    .map((t) => t.input)
    .filter((i) => i.configFile !== undefined || i.credentialsFile !== undefined);
})();

const NAMES = ['default', 'a', 'b', 'c', 'prod', 'dev', 'base', 'sso', 'x y', 'p-1', 'é', ''];
const PROPERTIES = [
  'region',
  'role_arn',
  'source_profile',
  'credential_source',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'mfa_serial',
  'duration_seconds',
  'external_id',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'sso_role_name',
  's3',
  'REGION',
  'Aws_Access_Key_Id',
  'bad name',
  '',
];
const VALUES = [
  'us-east-1',
  'arn:aws:iam::111111111111:role/r',
  'Environment',
  'Ec2InstanceMetadata',
  'EcsContainer',
  'environment',
  'AKIAIOSFODNN7EXAMPLE',
  'ASIAIOSFODNN7EXAMPLE',
  '900',
  '10',
  'abc',
  'https://corp.awsapps.com/start',
  '111111111111',
  '# not a comment',
  'v ; comment',
  '',
];
const JUNK = [
  '[',
  ']',
  '=',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '#',
  ';',
  '\u0000',
  '\uFEFF',
  '\u202e',
  'é',
  '\\',
];

function header(r: Random, kind: 'config' | 'credentials'): string {
  const name = pick(r, NAMES);
  const roll = r();
  if (roll < 0.01) return `[profile ${name}`; // unterminated
  if (roll < 0.1) return `[sso-session ${name}]`;
  if (roll < 0.15) return `[${name}] # comment`;
  if (roll < 0.2) return `[ profile\t${name} ]`;
  return kind === 'config' && name !== 'default' ? `[profile ${name}]` : `[${name}]`;
}

function property(r: Random): string {
  const name = pick(r, PROPERTIES);
  const roll = r();
  if (roll < 0.08) return `${name} =\n  sub = ${pick(r, VALUES)}\n  other=${pick(r, VALUES)}`;
  if (roll < 0.12) return `${name} = ${pick(r, VALUES)}\n\tcontinued ${pick(r, VALUES)}`;
  if (roll < 0.125) return `  ${name} = ${pick(r, VALUES)}`; // continuation without a property
  if (roll < 0.13) return name; // no '='
  // Secrets go only where a secret belongs: listings show other values as they are.
  if (roll < 0.17) return `aws_secret_access_key = ${FUZZ_SECRET}`;
  if (roll < 0.19) return `aws_session_token = ${FUZZ_TOKEN}`;
  return `${name}${pick(r, [' = ', '=', ' =', '= ', '\t=\t'])}${pick(r, VALUES)}`;
}

/** A file shaped like a real one: sections, properties, profile graphs (chains, cycles, self-sources). */
function structured(r: Random, kind: 'config' | 'credentials'): string {
  const lines: string[] = [];
  const sections = 1 + int(r, 8);
  for (let s = 0; s < sections; s++) {
    lines.push(header(r, kind));
    const props = int(r, 6);
    for (let p = 0; p < props; p++) lines.push(property(r));
    if (r() < 0.3)
      lines.push(`source_profile = ${pick(r, NAMES)}`, `role_arn = arn:aws:iam::111111111111:role/r${s}`);
    if (r() < 0.2)
      lines.push(`aws_access_key_id = AKIAIOSFODNN7EXAMPLE`, `aws_secret_access_key = ${FUZZ_SECRET}`);
    if (r() < 0.1) lines.push(pick(r, ['# comment', '; comment', '', '   ']));
  }
  return lines.join(pick(r, ['\n', '\n', '\n', '\r\n', '\r']));
}

function randomJunk(r: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += r() < 0.7 ? pick(r, JUNK) : String.fromCharCode(int(r, 0x3000));
  return text;
}

function randomBytes(r: Random, length: number): string {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = int(r, 256);
  return bytes.toString(r() < 0.5 ? 'utf8' : 'latin1');
}

function deepSubProperties(r: Random): string {
  const depth = 100 + int(r, 5_000);
  const lines = ['[default]', 's3 ='];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(1 + (i % 40))}k${i} = ${pick(r, VALUES)}`);
  return lines.join('\n');
}

function hugeLine(r: Random): string {
  const what = int(r, 4);
  const mb = 1024 * 1024;
  if (what === 0) return `[default]\nregion = ${'a'.repeat(mb)}\n`;
  if (what === 1) return `[profile ${'b'.repeat(mb)}`;
  if (what === 2) return `[default]\n${'x'.repeat(mb)}`;
  return `[default]\nx = ${' #'.repeat(mb / 2)}`;
}

/** Byte flips, line deletions and duplications, and splices of two fixtures. */
function mutate(r: Random, text: string): string {
  let out = text;
  const rounds = 1 + int(r, 4);
  for (let i = 0; i < rounds; i++) {
    const op = int(r, 5);
    if (op === 0 && out.length > 0) {
      const at = int(r, out.length);
      out = out.slice(0, at) + String.fromCharCode(out.charCodeAt(at) ^ (1 << int(r, 8))) + out.slice(at + 1);
    } else if (op === 1 || op === 2) {
      const lines = out.split('\n');
      const at = int(r, lines.length);
      if (op === 1) lines.splice(at, 1);
      else lines.splice(at, 0, lines[at] ?? '');
      out = lines.join('\n');
    } else if (op === 3) {
      const other = pick(r, FIXTURES);
      const donor = other.configFile ?? other.credentialsFile ?? '';
      out = out.slice(0, int(r, out.length + 1)) + donor.slice(int(r, donor.length + 1));
    } else {
      const at = int(r, out.length + 1);
      out = out.slice(0, at) + pick(r, JUNK) + out.slice(at);
    }
  }
  return out;
}

function withBom(r: Random, text: string): string {
  const bom = pick(r, ['\uFEFF', '\uFFFE', '\u00FF\u00FE', '\u00FE\u00FF', '\u00EF\u00BB\u00BF']);
  return bom + text;
}

export interface GeneratedFiles {
  /** What generator made them, for the failure message. */
  kind: string;
  /** The text credkit reads: the UTF-8 decoding of `configBytes` when those are given. */
  config: string;
  credentials: string;
  /** Exact bytes for the on-disk run (invalid UTF-8, UTF-16 with its BOM). */
  configBytes?: Buffer;
}

/** A config file written as UTF-16 (little or big endian) with its BOM, as some Windows editors save it. */
function utf16(r: Random, text: string): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (r() < 0.5) return le;
  const be = Buffer.from(le);
  be.swap16();
  return be;
}

function bytesFile(kind: string, bytes: Buffer, credentials: string): GeneratedFiles {
  return { kind, config: bytes.toString('utf8'), configBytes: bytes, credentials };
}

/** The files of one fuzz iteration. Huge inputs are rare so that 100 000 iterations stay fast. */
export function generate(seed: number, iteration: number): GeneratedFiles {
  const r = prng((seed ^ Math.imul(iteration + 1, 0x9e3779b1)) >>> 0);
  const roll = r();
  if (roll < 0.0005) return { kind: 'huge line', config: hugeLine(r), credentials: '' };
  if (roll < 0.002) return { kind: 'deep sub-properties', config: deepSubProperties(r), credentials: '' };
  if (roll < 0.01) {
    const bytes = Buffer.alloc(int(r, 4096));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(r, 256);
    return bytesFile('raw bytes', bytes, '');
  }
  if (roll < 0.02) return bytesFile('UTF-16 with BOM', utf16(r, structured(r, 'config')), '');
  if (roll < 0.05)
    return {
      kind: 'random bytes',
      config: randomBytes(r, int(r, 2048)),
      credentials: randomBytes(r, int(r, 256)),
    };
  if (roll < 0.15)
    return {
      kind: 'random junk',
      config: randomJunk(r, int(r, 400)),
      credentials: randomJunk(r, int(r, 100)),
    };
  if (roll < 0.5) {
    const fixture = pick(r, FIXTURES);
    const config = mutate(r, fixture.configFile ?? '');
    const credentials = fixture.credentialsFile === undefined ? '' : mutate(r, fixture.credentialsFile);
    return { kind: 'mutated fixture', config: r() < 0.05 ? withBom(r, config) : config, credentials };
  }
  const config = structured(r, 'config');
  const credentials = structured(r, 'credentials');
  const roll2 = r();
  if (roll2 < 0.05) return { kind: 'structured with BOM', config: withBom(r, config), credentials };
  if (roll2 < 0.1)
    return { kind: 'structured with NUL', config: config.replaceAll('\n', '\u0000\n'), credentials };
  if (roll2 < 0.3)
    return { kind: 'mutated structured', config: mutate(r, config), credentials: mutate(r, credentials) };
  return { kind: 'structured', config, credentials };
}

/** 100 000 profiles in one file (about 4 MB), some sourcing others. */
export function hundredThousandSections(): string {
  const parts: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    parts.push(
      i % 10 === 0
        ? `[profile p${i}]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = p${i + 1}\n`
        : `[profile p${i}]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${FUZZ_SECRET}\n`,
    );
  }
  return parts.join('');
}
