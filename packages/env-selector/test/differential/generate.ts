/**
 * A seeded generator of everyday and ambiguous shared config files for the differential suite:
 * mixed sources in one profile, keys split across the two files, stray tokens, duplicate sections,
 * comments and spacing variants, credentials-only profiles, role chains. The same seed always gives
 * the same files, so a disagreement can be replayed (CREDKIT_DIFF_SEED).
 */

import { prng } from '../hostile/generate.js';

export interface GeneratedFile {
  id: string;
  config: string;
  credentials: string;
  /** Extra files (credential_process outputs), relative name -> content. */
  extra: Record<string, string>;
  /** Every profile name written, in no particular order. */
  profiles: string[];
  /** The template each profile came from (for reports). */
  templates: Record<string, string>;
  /** True when a section header appears twice in one file. */
  duplicateSection: boolean;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

interface Section {
  header: string;
  lines: string[];
}

interface Builder {
  config: Section[];
  credentials: Section[];
  extra: Record<string, string>;
  templates: Record<string, string>;
  dir: string;
  r: Rand;
  n: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function keyId(r: Rand, prefix: 'AKIA' | 'ASIA'): string {
  let s = prefix;
  for (let i = 0; i < 16; i++) s += pick(r, [...ALNUM]);
  return s;
}
function secret(r: Rand): string {
  let s = '';
  for (let i = 0; i < 40; i++)
    s += pick(r, [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+']);
  return s;
}

/** `name = value` with the spacing variants both parsers accept. */
function prop(r: Rand, name: string, value: string): string {
  return pick(r, [`${name} = ${value}`, `${name}=${value}`, `${name}   =   ${value}`, `${name} =${value}`]);
}

function configHeader(r: Rand, name: string): string {
  if (name === 'default') return '[default]';
  return pick(r, [
    `[profile ${name}]`,
    `[profile ${name}]`,
    `[profile ${name}] # note`,
    `[profile ${name}]# keys`,
  ]);
}

function pair(r: Rand, prefix: 'AKIA' | 'ASIA' = 'AKIA', token?: 'session' | 'security'): string[] {
  const lines = [prop(r, 'aws_access_key_id', keyId(r, prefix)), prop(r, 'aws_secret_access_key', secret(r))];
  if (token) lines.push(prop(r, `aws_${token}_token`, `tok${secret(r)}`));
  return r() < 0.5 ? lines : lines.reverse();
}

function processCommand(r: Rand, b: Builder, name: string): string {
  const file = `${name}.json`;
  b.extra[file] = JSON.stringify({
    Version: 1,
    AccessKeyId: keyId(r, 'ASIA'),
    SecretAccessKey: secret(r),
    SessionToken: `ptok${secret(r)}`,
  });
  return `/bin/cat ${b.dir}/${file}`;
}

type Template = (b: Builder, name: string, others: string[]) => void;

const cfg = (b: Builder, name: string, lines: string[]) =>
  b.config.push({ header: configHeader(b.r, name), lines });
const cred = (b: Builder, name: string, lines: string[]) =>
  b.credentials.push({ header: `[${name}]`, lines });
const region = (b: Builder) => prop(b.r, 'region', pick(b.r, ['us-east-1', 'eu-west-1', 'ap-southeast-2']));

export const TEMPLATES: Record<string, Template> = {
  'static-config': (b, n) => cfg(b, n, [region(b), ...pair(b.r)]),
  'static-credentials': (b, n) => cred(b, n, pair(b.r)),
  'session-config': (b, n) => cfg(b, n, pair(b.r, 'ASIA', pick(b.r, ['session', 'security'] as const))),
  'session-credentials': (b, n) => cred(b, n, pair(b.r, 'ASIA', pick(b.r, ['session', 'security'] as const))),
  'both-tokens': (b, n) =>
    cred(b, n, [...pair(b.r, 'ASIA', 'session'), prop(b.r, 'aws_security_token', `sec${secret(b.r)}`)]),
  process: (b, n) => cfg(b, n, [prop(b.r, 'credential_process', processCommand(b.r, b, n))]),
  'process-and-config-keys': (b, n) =>
    cfg(b, n, [prop(b.r, 'credential_process', processCommand(b.r, b, n)), ...pair(b.r)]),
  'process-config-keys-credentials': (b, n) => {
    cfg(b, n, [prop(b.r, 'credential_process', processCommand(b.r, b, n))]);
    cred(b, n, pair(b.r));
  },
  'process-in-credentials': (b, n) =>
    cred(b, n, [prop(b.r, 'credential_process', processCommand(b.r, b, n))]),
  'session-config-pair-credentials': (b, n) => {
    cfg(b, n, [region(b), ...pair(b.r, 'ASIA', 'session')]);
    cred(b, n, pair(b.r));
  },
  'keys-split': (b, n) => {
    cfg(b, n, [prop(b.r, 'aws_access_key_id', keyId(b.r, 'AKIA'))]);
    cred(b, n, [prop(b.r, 'aws_secret_access_key', secret(b.r))]);
  },
  'stray-token-credentials': (b, n) => {
    cfg(b, n, pair(b.r));
    cred(b, n, [prop(b.r, 'aws_session_token', `stray${secret(b.r)}`)]);
  },
  'stray-secret-and-process': (b, n) => {
    cfg(b, n, [prop(b.r, 'credential_process', processCommand(b.r, b, n))]);
    cred(b, n, [prop(b.r, 'aws_secret_access_key', secret(b.r))]);
  },
  'key-id-only': (b, n) => cfg(b, n, [prop(b.r, 'aws_access_key_id', keyId(b.r, 'AKIA'))]),
  'region-only': (b, n) => cfg(b, n, [region(b), prop(b.r, 'output', 'json')]),
  'sso-and-keys': (b, n) =>
    cfg(b, n, [
      prop(b.r, 'sso_start_url', 'https://example.awsapps.com/start'),
      prop(b.r, 'sso_region', 'us-east-1'),
      prop(b.r, 'sso_account_id', '111122223333'),
      prop(b.r, 'sso_role_name', 'Dev'),
      ...pair(b.r),
    ]),
  'sso-start-url-only-and-keys': (b, n) =>
    cfg(b, n, [prop(b.r, 'sso_start_url', 'https://example.awsapps.com/start'), ...pair(b.r)]),
  'role-from-static': (b, n, others) => {
    const source = `${n}_src`;
    cred(b, source, pair(b.r));
    b.templates[source] = 'static-credentials';
    others.push(source);
    cfg(b, n, [
      prop(b.r, 'role_arn', `arn:aws:iam::123456789012:role/${n}`),
      prop(b.r, 'source_profile', source),
    ]);
  },
  'role-self-with-keys': (b, n) =>
    cfg(b, n, [
      prop(b.r, 'role_arn', `arn:aws:iam::123456789012:role/${n}`),
      prop(b.r, 'source_profile', n),
      ...pair(b.r),
    ]),
  'role-and-process': (b, n, others) => {
    const source = `${n}_src`;
    cfg(b, source, pair(b.r));
    b.templates[source] = 'static-config';
    others.push(source);
    cfg(b, n, [
      prop(b.r, 'credential_process', processCommand(b.r, b, n)),
      prop(b.r, 'role_arn', `arn:aws:iam::123456789012:role/${n}`),
      prop(b.r, 'source_profile', source),
    ]);
  },
  'role-loop': (b, n, others) => {
    const other = `${n}_b`;
    cfg(b, n, [
      prop(b.r, 'role_arn', 'arn:aws:iam::123456789012:role/a'),
      prop(b.r, 'source_profile', other),
      ...pair(b.r),
    ]);
    cfg(b, other, [
      prop(b.r, 'role_arn', 'arn:aws:iam::123456789012:role/b'),
      prop(b.r, 'source_profile', n),
    ]);
    b.templates[other] = 'role-loop';
    others.push(other);
  },
};

const NAMES = ['dev', 'prod_pdx', 'ci', 'team-a', 'sandbox.1', 'ops'];

export function generateFile(seed: number, index: number, dir: string): GeneratedFile {
  const r = prng(seed * 1_000_003 + index);
  const b: Builder = { config: [], credentials: [], extra: {}, templates: {}, dir, r, n: 0 };
  const profiles: string[] = [];
  const count = 3 + Math.floor(r() * 6);
  const templateNames = Object.keys(TEMPLATES);
  for (let i = 0; i < count; i++) {
    const name = i === 0 && r() < 0.3 ? 'default' : `${pick(r, NAMES)}${index}x${i}`;
    if (profiles.includes(name)) continue;
    const template = pick(r, templateNames);
    b.templates[name] = template;
    profiles.push(name);
    const others: string[] = [];
    TEMPLATES[template]!(b, name, others);
    profiles.push(...others);
  }
  // Now and then a section written twice (the AWS CLI refuses the whole file; credkit merges).
  let duplicateSection = false;
  if (r() < 0.08 && b.credentials.length > 0) {
    const again = pick(r, b.credentials);
    b.credentials.push({ header: again.header, lines: [prop(r, 'region', 'us-west-2')] });
    duplicateSection = true;
  }
  return {
    id: `f${index}`,
    config: render(r, b.config),
    credentials: render(r, b.credentials),
    extra: b.extra,
    profiles,
    templates: b.templates,
    duplicateSection,
  };
}

function render(r: Rand, sections: Section[]): string {
  const out: string[] = [];
  if (r() < 0.3) out.push(pick(r, ['# written by hand', '; generated', '']));
  for (const s of sections) {
    out.push(s.header);
    for (const line of s.lines) {
      if (r() < 0.1) out.push(pick(r, ['# a comment', '; another comment', '']));
      out.push(line);
    }
    if (r() < 0.5) out.push('');
  }
  return `${out.join(r() < 0.1 ? '\r\n' : '\n')}\n`;
}
