import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { booleanFlag, stringFlag } from '../context.js';
import {
  assertCanChooseWithoutPrompt,
  chooseEnvironmentCredentials,
  chooseEnvironmentRegion,
  resolveVerifiedApp,
  verifyEnvironment,
  warnAboutArgvSecret,
} from '../flows.js';
import { createOutput } from '../output.js';
import {
  type AppRecord,
  type EnvironmentRecord,
  openStore,
  resolveAppName,
  validateEnvName,
} from '../store/index.js';

function accountMismatch(
  app: string,
  pinned: string,
  actual: string,
  source: string,
  file: string,
): CredkitError {
  return new CredkitError(
    'APP_ACCOUNT_MISMATCH',
    `App "${app}" belongs to account ${pinned}, but the application credentials (${source}) are for account ${actual}.`,
    {
      hint: `Use application credentials of account ${pinned} (for example AWS_PROFILE=<profile of ${pinned}>), or pass --app for another app. Metadata: ${file}`,
      details: { app, pinnedAccount: pinned, account: actual, source },
    },
  );
}

/**
 * `credkit env init`: app credentials first (they own the metadata and pin the app's account), then
 * the environment's credentials and region, STS verification, and the record (never a secret).
 */
export async function envInitCommand(options: CommandContext): Promise<number> {
  const { flags, env, cwd } = options;
  const json = booleanFlag(flags, 'json');
  const out = createOutput(options, json);
  const name = validateEnvName(stringFlag(flags, 'name')!);
  const app = resolveAppName(stringFlag(flags, 'app'), env, cwd);
  warnAboutArgvSecret(options, out);
  assertCanChooseWithoutPrompt(options, name, { needsRegion: true });
  const store = openStore(env);
  const file = store.describe(app);

  const appSide = await resolveVerifiedApp(options);
  out.note(`Application credentials: ${appSide.description} (account ${appSide.identity.account})`);
  const before = await store.readApp(app);
  if (before?.account !== undefined && before.account !== appSide.identity.account) {
    throw accountMismatch(app, before.account, appSide.identity.account, appSide.description, file);
  }

  const chosen = await chooseEnvironmentCredentials(options, name);
  const region = await chooseEnvironmentRegion(options, chosen, name);
  const identity = await verifyEnvironment(options, chosen, region);
  out.note(`Environment credentials: ${chosen.description} (account ${identity.account})`);

  const now = (options.now ?? (() => new Date()))().toISOString();
  const record: EnvironmentRecord = {
    name,
    account: identity.account,
    region,
    credentialSource: chosen.credentialSource,
    arn: identity.arn,
    createdAt: now,
  };
  let created = true;
  const saved = await store.updateApp(app, (current: AppRecord) => {
    // Checked again under the lock: another credkit may have pinned the app meanwhile.
    if (current.account !== undefined && current.account !== appSide.identity.account) {
      throw accountMismatch(app, current.account, appSide.identity.account, appSide.description, file);
    }
    const existing = current.environments.find((e) => e.name === name);
    if (existing !== undefined) {
      if (existing.account === record.account && existing.region === record.region) {
        created = false;
        return undefined;
      }
      throw new CredkitError(
        'ENV_EXISTS',
        `Environment "${name}" of app "${app}" is already recorded with account ${existing.account} and region ${existing.region}; this run resolved account ${record.account} and region ${record.region}.`,
        {
          hint: `Choose another --name, or delete it first: credkit env delete --name ${name}${stringFlag(flags, 'app') ? ` --app ${app}` : ''}`,
          details: { app, name, account: existing.account, region: existing.region },
        },
      );
    }
    return {
      ...current,
      account: current.account ?? appSide.identity.account,
      pinnedBy: current.pinnedBy ?? { arn: appSide.identity.arn, source: appSide.description },
      environments: [...current.environments, record],
      updatedAt: now,
    };
  });
  const result = saved.environments.find((e) => e.name === name) ?? record;
  if (json) {
    out.json({ app, created, environment: result });
    return 0;
  }
  const what = created ? 'Recorded' : 'Already recorded (same account and region)';
  out.line(
    `${out.style.green('✔')} ${what}: environment ${out.style.bold(name)} of app ${out.style.bold(app)}, account ${result.account}, region ${result.region}, credentials: ${result.credentialSource}.`,
  );
  return 0;
}
