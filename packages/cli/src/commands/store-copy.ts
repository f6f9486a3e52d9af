import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { choiceFlag } from '../context.js';
import { resolveVerifiedApp } from '../flows.js';
import { startAppCommand } from '../prologue.js';
import { type EnvironmentRecord, openStoreOf, STORE_KINDS } from '../store/index.js';
import { appAccountMismatch } from '../store/rules.js';

interface Conflict {
  name: string;
  from: { account: string; region: string };
  to: { account: string; region: string };
}

/**
 * `credkit store copy --app APP --from file --to ssm` (or back): every environment of the app is
 * created in the target unless it is there. The same record already there is left alone; a
 * different one is never overwritten (reported, exit 1). Running it again changes nothing.
 */
export async function storeCopyCommand(options: CommandContext): Promise<number> {
  const { flags } = options;
  const { json, out, app } = startAppCommand(options);
  // Both are required flags with these choices: the parser has checked them.
  const fromKind = choiceFlag(flags, 'from', STORE_KINDS)!;
  const toKind = choiceFlag(flags, 'to', STORE_KINDS)!;
  if (fromKind === toKind) {
    throw new CredkitError('STORE_COPY_SAME', `--from and --to are both ${fromKind}: nothing to copy.`, {
      hint: 'Copy between two stores: --from file --to ssm, or --from ssm --to file.',
      exitCode: 2,
    });
  }
  const from = await openStoreOf(fromKind, options);
  const to = await openStoreOf(toKind, options);
  const [meta, environments] = await Promise.all([from.getApp(app), from.listEnvironments(app)]);
  if (meta?.account === undefined || environments.length === 0) {
    if (json) out.json({ app, from: fromKind, to: toKind, copied: [], unchanged: [], conflicts: [] });
    else out.line(`Nothing to copy: app ${app} has no environments in ${from.describe(app)}.`);
    return 0;
  }

  // The SSM store is the application's account: copying into it with credentials of another
  // account would put the records where the team will never look.
  const application = await resolveVerifiedApp(options);
  if (application.identity.account !== meta.account) {
    throw appAccountMismatch(
      app,
      meta.account,
      application.identity.account,
      application.description,
      from.describe(app),
    );
  }
  const pin = {
    account: meta.account,
    arn: meta.pinnedBy?.arn ?? application.identity.arn,
    source: meta.pinnedBy?.source ?? application.description,
  };

  const copied: string[] = [];
  const unchanged: string[] = [];
  const conflicts: Conflict[] = [];
  for (const environment of environments) {
    try {
      const result = await to.createEnvironment(app, environment, pin);
      (result.created ? copied : unchanged).push(environment.name);
    } catch (error) {
      if (!isCredkitError(error, 'ENV_EXISTS')) throw error;
      const existing = (await to.getEnvironment(app, environment.name)) as EnvironmentRecord;
      conflicts.push({
        name: environment.name,
        from: { account: environment.account, region: environment.region },
        to: { account: existing?.account ?? '?', region: existing?.region ?? '?' },
      });
    }
  }

  if (json) {
    out.json({ app, from: fromKind, to: toKind, copied, unchanged, conflicts });
  } else {
    out.line(`Copying app ${out.style.bold(app)}: ${from.describe(app)} → ${to.describe(app)}`);
    for (const name of copied) out.line(`  ${out.style.green('+')} ${name}: copied`);
    for (const name of unchanged) out.line(`  = ${name}: already there, same account and region`);
    for (const c of conflicts) {
      out.line(
        `  ${out.style.red('!')} ${c.name}: not copied, ${toKind} has account ${c.to.account} ${c.to.region}, ${fromKind} has ${c.from.account} ${c.from.region}`,
      );
    }
    out.line(`${copied.length} copied, ${unchanged.length} unchanged, ${conflicts.length} refused.`);
  }
  if (conflicts.length > 0) {
    throw new CredkitError(
      'STORE_COPY_CONFLICT',
      `${conflicts.length} environment${conflicts.length === 1 ? '' : 's'} of app "${app}" exist${conflicts.length === 1 ? 's' : ''} in ${toKind} with another account or region: ${conflicts.map((c) => c.name).join(', ')}. Nothing was overwritten.`,
      {
        hint: `Decide which record is right; delete the wrong one (credkit env delete --name NAME --app ${app} --store ${toKind}), then copy again.`,
        details: { app, conflicts: conflicts.map((c) => c.name) },
      },
    );
  }
  return 0;
}
