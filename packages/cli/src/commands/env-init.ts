import { isValidRegionName, resolveEnvironmentRegion } from '@credkit/env-selector';
import type { CommandContext } from '../context.js';
import { stringFlag } from '../context.js';
import { checkGivenCredentials, chooseVerifiedCredentials, type PendingCredentials } from '../env-choice.js';
import {
  assertCanChooseWithoutPrompt,
  checkCredentialFlags,
  chooseEnvironmentRegion,
  resolveVerifiedApp,
} from '../flows.js';
import { startEnvCommand } from '../prologue.js';
import { interactive } from '../session.js';
import { type EnvironmentRecord, type MetadataStore, openStore } from '../store/index.js';
import { storeKind } from '../store/open.js';
import { appAccountMismatch, envAlreadyRecorded } from '../store/rules.js';

/**
 * `credkit env init`: every flag is checked first (the region, a profile that exists, keys of the
 * right shape, stdin, a name already taken), before any prompt and any AWS call. Then the app
 * credentials (they own the metadata and pin the app's account), the environment's credentials,
 * verified with STS before the region question, and the record (never a secret).
 */
export async function envInitCommand(options: CommandContext): Promise<number> {
  const { flags, env } = options;
  const { json, out, app, name } = startEnvCommand(options);
  checkCredentialFlags(options, out);
  assertCanChooseWithoutPrompt(options, name, { needsRegion: true });
  const given = await checkGivenCredentials(options, name);
  const region = await regionKnownNow(options, given);
  const wouldAsk = interactive(options) && (given === undefined || region === undefined);

  // The file store is read before anything else; the SSM store is opened with the application's
  // credentials, which are verified first (a root user is refused before any SSM call).
  const fileStore = storeKind(flags, env) === 'file' ? await openStore(options) : undefined;
  if (fileStore !== undefined) await refuseTakenName(fileStore, app, name, wouldAsk, region);
  const appSide = await resolveVerifiedApp(options);
  out.note(`Application credentials: ${appSide.description} (account ${appSide.identity.account})`);
  const store = fileStore ?? (await openStore(options));
  if (fileStore === undefined) await refuseTakenName(store, app, name, wouldAsk, region);
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

  const { chosen, identity } = await chooseVerifiedCredentials(options, name, {
    given,
    // STS is asked before the region question; a profile's own region, when it has a valid one.
    region: (c) => region?.value ?? validRegion(c.profile?.region),
  });
  out.note(`Environment credentials: ${chosen.description} (account ${identity.account})`);
  const chosenRegion = region?.value ?? (await chooseEnvironmentRegion(options, chosen, name));

  const now = new Date((options.now ?? Date.now)()).toISOString();
  const record: EnvironmentRecord = {
    name,
    account: identity.account,
    region: chosenRegion,
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

function validRegion(region: string | null | undefined): string | undefined {
  return region != null && isValidRegionName(region) ? region : undefined;
}

/**
 * The region, when the flags already decide it: --region (checked now: `--region mars-1` fails
 * before anything is asked), else the region of the profile given with --profile. Without a
 * terminal a region that cannot be known is REGION_REQUIRED now, not after STS.
 */
async function regionKnownNow(
  ctx: CommandContext,
  given: PendingCredentials | undefined,
): Promise<{ value: string; from: string } | undefined> {
  const flag = stringFlag(ctx.flags, 'region');
  const profileRegion = given?.profile?.region;
  if (flag === undefined && profileRegion == null && interactive(ctx)) return undefined;
  const { region, from } = await resolveEnvironmentRegion({
    flagRegion: flag,
    profile: given?.profile,
    interactive: false,
  });
  return {
    value: region,
    from: from === 'flag' ? '--region' : `the region of profile "${given?.profile?.name}"`,
  };
}

/**
 * A name already recorded is refused now when this run would have to ask something first, or when
 * its region already differs. A repeat with flags goes on: STS decides whether it is the same
 * environment (a no-op) or not (ENV_EXISTS), as before.
 */
async function refuseTakenName(
  store: MetadataStore,
  app: string,
  name: string,
  wouldAsk: boolean,
  region: { value: string; from: string } | undefined,
): Promise<void> {
  const existing = await store.getEnvironment(app, name);
  if (existing === undefined) return;
  if (wouldAsk) throw envAlreadyRecorded(app, existing, store.describe(app), undefined);
  if (region !== undefined && region.value !== existing.region) {
    throw envAlreadyRecorded(app, existing, store.describe(app), region);
  }
}
