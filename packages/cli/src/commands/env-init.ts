import type { CommandContext } from '../context.js';
import {
  assertCanChooseWithoutPrompt,
  checkCredentialFlags,
  chooseEnvironmentCredentials,
  chooseEnvironmentRegion,
  resolveVerifiedApp,
  verifyEnvironment,
} from '../flows.js';
import { startEnvCommand } from '../prologue.js';
import { type EnvironmentRecord, openStore } from '../store/index.js';
import { appAccountMismatch } from '../store/rules.js';

/**
 * `credkit env init`: app credentials first (they own the metadata and pin the app's account), then
 * the environment's credentials and region, STS verification, and the record (never a secret).
 */
export async function envInitCommand(options: CommandContext): Promise<number> {
  const { json, out, app, name } = startEnvCommand(options);
  checkCredentialFlags(options, out);
  assertCanChooseWithoutPrompt(options, name, { needsRegion: true });
  const appSide = await resolveVerifiedApp(options);
  out.note(`Application credentials: ${appSide.description} (account ${appSide.identity.account})`);
  // Opened after the application is resolved: the SSM store uses the same credentials and region.
  const store = await openStore(options);
  out.note(`Store: ${store.kind} (${store.describe(app)})`);
  const before = await store.getApp(app);
  if (before?.account !== undefined && before.account !== appSide.identity.account) {
    throw appAccountMismatch(
      app,
      before.account,
      appSide.identity.account,
      appSide.description,
      store.describe(app),
    );
  }

  const chosen = await chooseEnvironmentCredentials(options, name);
  const region = await chooseEnvironmentRegion(options, chosen, name);
  const identity = await verifyEnvironment(options, chosen, region);
  out.note(`Environment credentials: ${chosen.description} (account ${identity.account})`);

  const now = new Date((options.now ?? Date.now)()).toISOString();
  const record: EnvironmentRecord = {
    name,
    account: identity.account,
    region,
    credentialSource: chosen.credentialSource,
    arn: identity.arn,
    createdAt: now,
  };
  const { created, environment: result } = await store.createEnvironment(app, record, {
    account: appSide.identity.account,
    arn: appSide.identity.arn,
    source: appSide.description,
  });
  if (json) {
    out.json({ app, store: store.kind, created, environment: result });
    return 0;
  }
  const what = created ? 'Recorded' : 'Already recorded (same account and region)';
  out.line(
    `${out.style.green('✔')} ${what}: environment ${out.style.bold(name)} of app ${out.style.bold(app)}, account ${result.account}, region ${result.region}, credentials: ${result.credentialSource}.`,
  );
  return 0;
}
