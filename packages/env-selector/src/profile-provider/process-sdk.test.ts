import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromProcess } from '@aws-sdk/credential-provider-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfile } from './from-profile.js';

// credkit runs credential_process itself (bounded, injected env, no stdin) but must accept and read
// exactly what the SDK's `fromProcess` accepts. Each output below goes through a real child process
// twice: once via the SDK's fromProcess, once via credkit's fromProfile, from the same config file.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-process-sdk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const future = new Date(Date.now() + 3_600_000).toISOString();
const past = new Date(Date.now() - 60_000).toISOString();
const KEYS = { AccessKeyId: 'ASIAPROCESSEXAMPLE', SecretAccessKey: 'process/secret+EXAMPLE' };

interface Case {
  name: string;
  stdout: string;
  /** Extra profile lines next to credential_process. */
  profile?: string;
  /** credkit's code when both reject. */
  code?: string;
}

const json = (doc: unknown) => JSON.stringify(doc);
const CASES: Case[] = [
  { name: 'valid Version 1', stdout: json({ Version: 1, ...KEYS }) },
  {
    name: 'with SessionToken and Expiration',
    stdout: json({ Version: 1, ...KEYS, SessionToken: 'tok', Expiration: future }),
  },
  { name: 'with SessionToken, no Expiration', stdout: json({ Version: 1, ...KEYS, SessionToken: 'tok' }) },
  { name: 'with Expiration, no SessionToken', stdout: json({ Version: 1, ...KEYS, Expiration: future }) },
  {
    name: 'Expiration as epoch milliseconds',
    stdout: json({ Version: 1, ...KEYS, Expiration: Date.now() + 600_000 }),
  },
  { name: 'empty Expiration', stdout: json({ Version: 1, ...KEYS, Expiration: '' }) },
  { name: 'extra fields', stdout: json({ Version: 1, ...KEYS, Foo: 'bar', Nested: { a: 1 } }) },
  { name: 'AccountId', stdout: json({ Version: 1, ...KEYS, AccountId: '123456789012' }) },
  {
    name: 'aws_account_id of the profile when the output has none',
    stdout: json({ Version: 1, ...KEYS }),
    profile: 'aws_account_id = 210987654321\n',
  },
  {
    name: 'AccountId of the output over aws_account_id',
    stdout: json({ Version: 1, ...KEYS, AccountId: '123456789012' }),
    profile: 'aws_account_id = 210987654321\n',
  },
  { name: 'CredentialScope', stdout: json({ Version: 1, ...KEYS, CredentialScope: 'us-west-2' }) },
  { name: 'whitespace around the document', stdout: `\n  ${json({ Version: 1, ...KEYS })}  \n\n` },
  {
    name: 'Version 2',
    stdout: json({ Version: 2, ...KEYS }),
    code: 'CREDENTIAL_PROCESS_UNSUPPORTED_VERSION',
  },
  {
    name: 'Version "1"',
    stdout: json({ Version: '1', ...KEYS }),
    code: 'CREDENTIAL_PROCESS_UNSUPPORTED_VERSION',
  },
  { name: 'no Version', stdout: json({ ...KEYS }), code: 'CREDENTIAL_PROCESS_UNSUPPORTED_VERSION' },
  {
    name: 'missing AccessKeyId',
    stdout: json({ Version: 1, SecretAccessKey: KEYS.SecretAccessKey }),
    code: 'CREDENTIAL_PROCESS_INCOMPLETE',
  },
  {
    name: 'missing SecretAccessKey',
    stdout: json({ Version: 1, AccessKeyId: KEYS.AccessKeyId }),
    code: 'CREDENTIAL_PROCESS_INCOMPLETE',
  },
  {
    name: 'expired',
    stdout: json({ Version: 1, ...KEYS, Expiration: past }),
    code: 'CREDENTIAL_PROCESS_EXPIRED',
  },
  { name: 'invalid JSON', stdout: '{"Version": 1, "AccessKeyId": ', code: 'CREDENTIAL_PROCESS_INVALID_JSON' },
  { name: 'empty output', stdout: '', code: 'CREDENTIAL_PROCESS_INVALID_JSON' },
  { name: 'JSON null', stdout: 'null', code: 'CREDENTIAL_PROCESS_INVALID_JSON' },
  { name: 'JSON array', stdout: '[1]', code: 'CREDENTIAL_PROCESS_INVALID_JSON' },
];

type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; code?: string; message: string };

/** The fields both providers return (credkit adds a non-enumerable `source` and a profile feature). */
function comparable(c: Record<string, unknown>) {
  const expiration = c.expiration as Date | undefined;
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: expiration === undefined ? undefined : expiration.getTime(),
    credentialScope: c.credentialScope,
    accountId: c.accountId,
    CREDENTIALS_PROCESS: (c.$source as Record<string, string> | undefined)?.CREDENTIALS_PROCESS,
  };
}

const settle = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    (value) => ({ ok: true, value: value as Record<string, unknown> }),
    (e: { code?: string; message?: string }) => ({
      ok: false,
      ...(e.code && { code: e.code }),
      message: String(e.message),
    }),
  );

/** Runs one output through the SDK's fromProcess and credkit's fromProfile from the same files. */
async function both(c: Case, index: number) {
  const script = join(dir, `out-${index}.mjs`);
  await writeFile(script, `process.stdout.write(${JSON.stringify(c.stdout)});`);
  const configFile = join(dir, `config-${index}`);
  const credentialsFile = join(dir, `credentials-${index}`);
  await writeFile(
    configFile,
    `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n${c.profile ?? ''}`,
  );
  await writeFile(credentialsFile, '');
  const sdk = await settle(
    fromProcess({ profile: 'proc', filepath: credentialsFile, configFilepath: configFile })(),
  );
  const ours = await settle(
    resolveProfile({
      profile: 'proc',
      env: { HOME: dir, PATH: process.env.PATH },
      configFile,
      credentialsFile,
    }),
  );
  return { sdk, ours };
}

describe('credential_process output: credkit accepts and reads exactly what the SDK fromProcess does', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_, c, i) => {
    const { sdk, ours } = await both(c, i);
    expect(ours.ok).toBe(sdk.ok);
    if (sdk.ok && ours.ok) {
      expect(comparable(ours.value)).toEqual(comparable(sdk.value));
      expect(ours.value.accessKeyId).toBe(KEYS.AccessKeyId);
    } else if (!ours.ok) {
      expect(c.code).toBeDefined();
      expect(ours.code).toBe(c.code);
      // The output is never quoted back (the SDK's messages do not either; credkit's are coded).
      expect(ours.message).not.toContain(KEYS.SecretAccessKey);
    }
  });

  it('is stricter where the SDK would hand out unusable credentials (and notices if the SDK changes)', async () => {
    const stricter: Case[] = [
      { name: 'empty AccessKeyId', stdout: json({ Version: 1, ...KEYS, AccessKeyId: '' }) },
      { name: 'Expiration that is not a date', stdout: json({ Version: 1, ...KEYS, Expiration: 'soon' }) },
    ];
    for (const [i, c] of stricter.entries()) {
      const { sdk, ours } = await both(c, 100 + i);
      expect({ case: c.name, sdk: sdk.ok }).toEqual({ case: c.name, sdk: true });
      expect({ case: c.name, ours: ours.ok ? 'accepted' : ours.code }).toEqual({
        case: c.name,
        ours: 'CREDENTIAL_PROCESS_INCOMPLETE',
      });
    }
  });
});
