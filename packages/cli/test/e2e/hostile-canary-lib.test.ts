import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { explainAppChain, fromAppChain, verifyAppIdentity } from '@credkit/app-chain';
import { fromProfile, listProfiles, selectEnvironmentCredentials } from '@credkit/env-selector';
import {
  fromTemporaryCredentials,
  parseTemporaryCredentials,
  promptTemporaryCredentials,
} from '@credkit/temp-creds';
import { createScriptedPrompter } from '@credkit/temp-creds/prompter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CANARY_ACCESS_KEY_ID, CANARY_SECRET, CANARY_TOKEN, expectNoLeak, renderError } from './canary.js';
import { createWorld, type World } from './helpers.js';

// Issue 7, secret canary through the library entry points: every failure is a coded error whose
// message, hint, details, cause chain, toString, JSON and util.inspect hold no secret, and no
// warning (onWarning, process warnings, stderr) does either.
let world: World;
let scripts: string;
let env: Record<string, string>;
const secrets = [CANARY_SECRET, CANARY_TOKEN];

beforeAll(async () => {
  world = await createWorld();
  secrets.push(...Object.values(world.users).map((u) => u.secretAccessKey), world.root.secretAccessKey);
  scripts = await mkdtemp(join(tmpdir(), 'credkit-canary-lib-'));
  const fail = join(scripts, 'fail.mjs');
  await writeFile(
    fail,
    `process.stdout.write(${JSON.stringify(CANARY_SECRET)}); console.error('no'); process.exit(3);`,
  );
  await appendFile(
    world.home.configFile,
    `\n[profile proc-fail]\ncredential_process = ${JSON.stringify(process.execPath)} ${fail}\n[profile role-canary]\nrole_arn = arn:aws:iam::222222222222:role/none\nsource_profile = canary\n`,
  );
  await appendFile(
    world.home.credentialsFile,
    `\n[canary]\naws_access_key_id = ${CANARY_ACCESS_KEY_ID}\naws_secret_access_key = ${CANARY_SECRET}\naws_session_token = ${CANARY_TOKEN}\n[partial]\naws_secret_access_key = ${CANARY_SECRET}\n`,
  );
  env = { ...world.env, PATH: process.env.PATH ?? '/usr/bin:/bin' };
});
afterAll(async () => {
  await world.close();
  await rm(scripts, { recursive: true, force: true });
});

// Everything written to stderr or emitted as a process warning while a test runs.
let captured: string[] = [];
const original = process.stderr.write.bind(process.stderr);
const onProcessWarning = (w: Error) => captured.push(`${w.name} ${w.message}`);
beforeEach(() => {
  captured = [];
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  process.on('warning', onProcessWarning);
});
afterEach(() => {
  process.stderr.write = original;
  process.off('warning', onProcessWarning);
  expectNoLeak('stderr and process warnings', captured.join('\n'), secrets);
});

async function codeOf(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    expectNoLeak('error', renderError(error), secrets);
    return (error as { code?: string }).code ?? `uncoded: ${String(error)}`;
  }
  throw new Error('expected a failure');
}

describe('secret canary through the library entry points', () => {
  it('fromAppChain and explainAppChain', async () => {
    const warnings: unknown[] = [];
    const onWarning = (w: unknown) => warnings.push(w);
    expect(await codeOf(() => fromAppChain({ env, profile: 'role-canary', onWarning })())).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(await codeOf(() => fromAppChain({ env, profile: 'partial', onWarning })())).toBe(
      'PROFILE_INCOMPLETE',
    );
    const keysEnv = {
      ...env,
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: CANARY_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: CANARY_SECRET,
      AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
    };
    expect(await codeOf(() => fromAppChain({ env: keysEnv, onWarning })())).toBe('CREDENTIALS_EXPIRED');
    const failed = await explainAppChain({ env, profile: 'proc-fail', onWarning });
    expect(failed.error?.code).toBe('CREDENTIAL_PROCESS_FAILED');
    const resolved = await explainAppChain({ env, profile: 'canary', onWarning });
    expect(resolved.resolved).toBe(true);
    for (const x of [failed, resolved]) {
      expectNoLeak('explanation', `${JSON.stringify(x)}\n${inspect(x, { depth: 10 })}`, secrets);
    }
    expectNoLeak('warnings', JSON.stringify(warnings), secrets);
    expect(warnings).not.toEqual([]);
  });

  it('verifyAppIdentity', async () => {
    const keys = {
      accessKeyId: CANARY_ACCESS_KEY_ID,
      secretAccessKey: CANARY_SECRET,
      sessionToken: CANARY_TOKEN,
    };
    expect(await codeOf(() => verifyAppIdentity(keys, { env }))).toBe('INVALID_CREDENTIALS');
  });

  it('an STS that echoes its input: the error keeps the code, a redacted and escaped message', async () => {
    world.aws.fault('sts', { echo: true });
    try {
      const keys = {
        accessKeyId: CANARY_ACCESS_KEY_ID,
        secretAccessKey: CANARY_SECRET,
        sessionToken: CANARY_TOKEN,
      };
      for (const work of [
        () => verifyAppIdentity(keys, { env }),
        () => fromProfile({ profile: 'role-canary', env })(),
      ]) {
        let error: unknown;
        try {
          await work();
        } catch (e) {
          error = e;
        }
        expect((error as { code?: string }).code).toBe('STS_ERROR');
        expect((error as Error).message).toContain('ValidationError');
        expect((error as Error).message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expectNoLeak('error from an echoing STS', renderError(error), secrets);
      }
    } finally {
      world.aws.clearFaults();
    }
  });

  it('listProfiles and fromProfile', async () => {
    const listing = await listProfiles({ env });
    expect(listing.profiles.map((p) => p.name)).toContain('canary');
    expectNoLeak('listing', `${JSON.stringify(listing)}\n${inspect(listing, { depth: 10 })}`, secrets);
    expect(await codeOf(() => fromProfile({ profile: 'partial', env })())).toBe('PROFILE_INCOMPLETE');
    expect(await codeOf(() => fromProfile({ profile: 'proc-fail', env })())).toBe(
      'CREDENTIAL_PROCESS_FAILED',
    );
    expect(await codeOf(() => fromProfile({ profile: 'role-canary', env })())).toBe('INVALID_CREDENTIALS');
  });

  it('selectEnvironmentCredentials with flags', async () => {
    const select = (secretAccessKey: string) =>
      selectEnvironmentCredentials({
        envName: 'prod',
        flags: { accessKeyId: CANARY_ACCESS_KEY_ID, secretAccessKey, sessionToken: CANARY_TOKEN },
        interactive: false,
        env,
      }).then((s) => s.provider());
    expect(await codeOf(() => select(`${CANARY_SECRET}\u001b[2J`))).toBe('INVALID_SECRET_ACCESS_KEY');
    expect(await codeOf(() => select(CANARY_SECRET.slice(0, 12)))).toBe('INVALID_SECRET_ACCESS_KEY');
  });

  it('parseTemporaryCredentials, fromTemporaryCredentials and promptTemporaryCredentials', async () => {
    const parse = (input: Record<string, string>) => parseTemporaryCredentials(input, { source: 'flags' });
    expect(
      await codeOf(() => parse({ accessKeyId: CANARY_ACCESS_KEY_ID, secretAccessKey: CANARY_SECRET })),
    ).toBe('SESSION_TOKEN_REQUIRED');
    expect(
      await codeOf(() =>
        parse({
          accessKeyId: CANARY_ACCESS_KEY_ID,
          secretAccessKey: CANARY_SECRET.repeat(26_000),
          sessionToken: CANARY_TOKEN,
        }),
      ),
    ).toBe('INPUT_TOO_LARGE');
    expect(
      await codeOf(() =>
        parse({
          accessKeyId: CANARY_ACCESS_KEY_ID,
          secretAccessKey: CANARY_SECRET,
          sessionToken: `${CANARY_TOKEN}\u0007`,
        }),
      ),
    ).toBe('INVALID_SESSION_TOKEN');
    const valid = parse({
      accessKeyId: CANARY_ACCESS_KEY_ID,
      secretAccessKey: CANARY_SECRET,
      sessionToken: CANARY_TOKEN,
    });
    expectNoLeak('parsed credentials', `${JSON.stringify(valid)}\n${inspect(valid)}`, secrets);
    const expired = parseTemporaryCredentials(
      {
        accessKeyId: CANARY_ACCESS_KEY_ID,
        secretAccessKey: CANARY_SECRET,
        sessionToken: CANARY_TOKEN,
        expiration: '2027-01-01T00:00:00Z',
      },
      { source: 'flags', now: () => Date.parse('2026-01-01T00:00:00Z') },
    );
    expect(
      await codeOf(() =>
        fromTemporaryCredentials(expired, { now: () => Date.parse('2028-01-01T00:00:00Z') })(),
      ),
    ).toBe('CREDENTIALS_EXPIRED');
    const prompter = createScriptedPrompter([
      { answer: CANARY_ACCESS_KEY_ID },
      { answer: CANARY_SECRET },
      { cancel: true },
    ]);
    expect(await codeOf(() => promptTemporaryCredentials({ prompter }))).toBe('PROMPT_CANCELLED');
    expectNoLeak('prompts shown', JSON.stringify(prompter.calls), secrets);
  });
});
