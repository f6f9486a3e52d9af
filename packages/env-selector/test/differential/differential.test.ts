/**
 * credkit against the real AWS CLI on generated files (CREDKIT_DIFF_FILES files, default 100;
 * CREDKIT_DIFF_SEED to replay; CREDKIT_DIFF_ROLES role profiles checked through the AWS CLI v1 and
 * the loopback STS, default 4). For every profile: the same profile list as `aws configure
 * list-profiles`, the source botocore's resolver picks equals the kind `profiles` lists and the plan
 * `export` executes, and for keys and credential_process the same credentials as `aws configure
 * export-credentials`. Every disagreement must be one of KNOWN_DIFFERENCES (known-differences.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/profile-provider/from-profile.js';
import { planProfile } from '../../src/profile-provider/plan.js';
import { describeProfiles } from '../../src/profiles/list.js';
import { loadSharedConfig } from '../../src/shared-config/index.js';
import { AWS_CLI_V2, type BatchResult, findAwsCliV1, run, runAwsCliV2Batch } from './aws-cli.js';
import { type GeneratedFile, generateFile } from './generate.js';
import { classify, type Disagreement, expectedKinds } from './known-differences.js';

const FILES = Number(process.env.CREDKIT_DIFF_FILES ?? 100);
const SEED = Number(process.env.CREDKIT_DIFF_SEED ?? 20261201);
const ROLES = Number(process.env.CREDKIT_DIFF_ROLES ?? 4);
const LOCAL_METHODS = ['shared-credentials-file', 'config-file', 'custom-process'];

let root: string;
let files: { file: GeneratedFile; env: Record<string, string> }[];
let v2: Record<string, BatchResult>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'credkit-diff-'));
  files = [];
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, `f${i}`);
    await mkdir(dir);
    const file = generateFile(SEED, i, dir);
    await writeFile(join(dir, 'config'), file.config);
    await writeFile(join(dir, 'credentials'), file.credentials, { mode: 0o600 });
    for (const [name, text] of Object.entries(file.extra)) await writeFile(join(dir, name), text);
    files.push({ file, env: envFor(dir) });
  }
  v2 = await runAwsCliV2Batch(
    files.map(({ file, env }) => ({ id: file.id, env, profiles: file.profiles })),
    root,
  );
}, 600_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function envFor(dir: string): Record<string, string> {
  return {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

async function attempt<T>(fn: () => Promise<T> | T): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (e) {
    return { error: (e as { code?: string }).code ?? String(e) };
  }
}

describe('credkit and the AWS CLI v2 read every generated file the same way', () => {
  it(
    `${FILES} files (seed ${SEED}): profile list, kind and credentials`,
    async () => {
      const disagreements: Disagreement[] = [];
      let profilesChecked = 0;
      let credentialsCompared = 0;
      let exportsRun = 0;
      for (const { file, env } of files) {
        const cli = v2[file.id]!;
        const shared = await loadSharedConfig({ env });
        const listing = describeProfiles(shared);
        const names = listing.profiles.map((p) => p.name);
        const cliNames = cli.list.rc === 0 ? cli.list.out.split('\n').filter(Boolean) : undefined;
        const at = { file: file.id, seed: SEED };
        if (cliNames === undefined || cliNames.join() !== names.join())
          disagreements.push({
            ...at,
            what: 'list',
            file_: file,
            cli: cliNames ?? `rc ${cli.list.rc}`,
            credkit: names,
          });
        if (cliNames === undefined) continue; // the AWS CLI read nothing in this file
        for (const name of file.profiles) {
          profilesChecked++;
          const { method, credentials: theirs, export: exported } = cli.profiles[name]!;
          // The export-credentials command itself prints what botocore's resolver gave.
          if (exported !== undefined) {
            exportsRun++;
            const printed = exported.rc === 0 ? JSON.parse(exported.out) : undefined;
            if (JSON.stringify(printed) !== JSON.stringify(theirs ? { Version: 1, ...theirs } : undefined))
              disagreements.push({
                ...at,
                what: 'credentials',
                profile: name,
                cli: 'export-credentials',
                credkit: 'resolver',
              });
          }
          const listed = listing.profiles.find((p) => p.name === name)?.kind ?? 'missing';
          const plan = await attempt(() => planProfile(shared, name, env));
          const planKind = 'error' in plan ? 'error' : plan.kind;
          const ok = expectedKinds(method, plan);
          if (
            !ok.includes(listed === 'incomplete' || planKind === 'error' ? 'none' : listed) ||
            (planKind !== 'error' && planKind !== listed)
          )
            disagreements.push({
              ...at,
              what: 'kind',
              profile: name,
              template: file.templates[name],
              cli: method,
              credkit: `${listed}/${planKind}`,
            });
          // Keys and credential_process need no network: compare the credentials themselves. For the
          // other methods the kind check above is the comparison (roles: the AWS CLI v1 test below).
          if (
            !LOCAL_METHODS.includes(method) &&
            listed !== 'static' &&
            listed !== 'session' &&
            listed !== 'process'
          )
            continue;
          credentialsCompared++;
          const mine = await attempt(() => resolveProfile({ profile: name, env, sharedConfig: shared }));
          const same =
            'error' in mine
              ? theirs === undefined
              : theirs !== undefined &&
                mine.accessKeyId === theirs.AccessKeyId &&
                mine.secretAccessKey === theirs.SecretAccessKey &&
                (mine.sessionToken ?? null) === (theirs.SessionToken ?? null);
          if (!same)
            disagreements.push({
              ...at,
              what: 'credentials',
              profile: name,
              template: file.templates[name],
              cli: theirs === undefined ? method : theirs.AccessKeyId,
              credkit: 'error' in mine ? mine.error : mine.accessKeyId,
            });
        }
      }
      const { known, unknown } = classify(disagreements);
      const figures = {
        files: FILES,
        seed: SEED,
        profilesChecked,
        credentialsCompared,
        exportCredentialsCalls: exportsRun,
        known: known.length,
        unknown: unknown.length,
      };
      console.log(`differential (AWS CLI v2): ${JSON.stringify(figures)}`);
      expect(unknown.map(({ file_, ...d }) => d)).toEqual([]);
      expect(profilesChecked).toBeGreaterThanOrEqual(FILES * 3);
      expect(credentialsCompared).toBeGreaterThan(FILES);
      expect(exportsRun).toBeGreaterThan(FILES / 2);
    },
    60_000 + FILES * 1_000,
  );

  it('the batch driver gives what the /usr/bin/aws binary gives', async () => {
    const sample = files.filter(({ file }) => !file.duplicateSection).slice(0, 1);
    for (const { file, env } of sample) {
      const listed = await run(AWS_CLI_V2, ['configure', 'list-profiles'], env);
      expect(listed).toMatchObject({ rc: v2[file.id]!.list.rc, out: v2[file.id]!.list.out });
      const local = file.profiles.filter((p) => v2[file.id]!.profiles[p]!.export !== undefined).slice(0, 1);
      for (const profile of local) {
        const exported = await run(
          AWS_CLI_V2,
          ['configure', 'export-credentials', '--profile', profile, '--format', 'process'],
          env,
        );
        expect(exported.out).toBe(v2[file.id]!.profiles[profile]!.export!.out);
      }
    }
  }, 120_000);
});

describe('role profiles: the AssumeRole calls of the AWS CLI v1 and of credkit', () => {
  let lb: LoopbackAws;
  beforeAll(async () => {
    lb = await startLoopbackAws();
  });
  afterAll(async () => {
    await lb?.close();
  });

  it(`the same role ARN and source key for ${ROLES} role profiles`, async () => {
    const aws = await findAwsCliV1();
    const roles = files
      .filter(({ file }) => !file.duplicateSection)
      .flatMap(({ file, env }) =>
        file.profiles
          .filter((p) => v2[file.id]!.profiles[p]!.method === 'assume-role')
          .map((profile) => ({
            profile,
            env: {
              ...env,
              AWS_ENDPOINT_URL_STS: lb.env.AWS_ENDPOINT_URL_STS,
              AWS_DEFAULT_REGION: 'us-east-1',
              AWS_MAX_ATTEMPTS: '1',
            },
          })),
      )
      .slice(0, ROLES);
    expect(roles.length).toBeGreaterThan(0);
    const calls = () =>
      lb.requests
        .filter((r) => r.action === 'AssumeRole')
        .map((r) => `${r.params?.RoleArn} by ${r.accessKeyId}`);
    for (const { profile, env } of roles) {
      const before = calls().length;
      await run(aws, ['sts', 'get-caller-identity', '--profile', profile], env, 60_000);
      const theirs = calls().slice(before);
      const middle = calls().length;
      const shared = await loadSharedConfig({ env });
      await attempt(() => resolveProfile({ profile, env, sharedConfig: shared }));
      const mine = calls().slice(middle);
      expect({ profile, calls: mine }).toEqual({ profile, calls: theirs });
      expect(theirs.length).toBeGreaterThan(0);
    }
  }, 300_000);
});
