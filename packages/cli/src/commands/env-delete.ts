import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { booleanFlag } from '../context.js';
import { checkGivenCredentials, chooseVerifiedCredentials } from '../env-choice.js';
import { accountMismatch, assertCanChooseWithoutPrompt, checkCredentialFlags } from '../flows.js';
import { startEnvCommand } from '../prologue.js';
import { getPrompter, interactive } from '../session.js';
import { findEnvironment, openStore, recordedProfile } from '../store/index.js';

/**
 * `credkit env delete`: the environment's credentials are needed again and must reach the recorded
 * account; otherwise nothing is deleted. Asks for confirmation on a terminal unless --yes.
 */
export async function envDeleteCommand(options: CommandContext): Promise<number> {
  const { flags } = options;
  const { json, out, app, name } = startEnvCommand(options);
  checkCredentialFlags(options, out);
  const store = await openStore(options);
  const recorded = await findEnvironment(store, app, name);

  // The recorded profile is used unless the user chose other credentials explicitly.
  const profile = recordedProfile(recorded.credentialSource);
  const explicit =
    flags.profile !== undefined ||
    flags['aws-access-key-id'] !== undefined ||
    flags['credentials-stdin'] === true;
  const effective =
    explicit || profile === undefined ? options : { ...options, flags: { ...flags, profile } };
  assertCanChooseWithoutPrompt(effective, name, { needsRegion: false });
  const given = await checkGivenCredentials(effective, name);
  const temporaryOnly = !explicit && profile === undefined;
  if (given === undefined && temporaryOnly) {
    // The person must know which keys to fetch before being asked for them.
    out.note(
      `Environment ${name} of app ${app} was created with temporary credentials. Enter temporary credentials for account ${recorded.account} (region ${recorded.region}) to delete it.`,
    );
  }
  await chooseVerifiedCredentials(effective, name, {
    given,
    temporaryOnly,
    region: () => recorded.region,
    check: (identity, credentials) => {
      if (identity.account !== recorded.account) {
        throw accountMismatch(
          { ...recorded, app },
          credentials.description,
          identity.account,
          'Nothing was deleted.',
        );
      }
    },
  });

  if (!booleanFlag(flags, 'yes')) {
    if (!interactive(options)) {
      throw new CredkitError(
        'CONFIRMATION_REQUIRED',
        `Deleting environment "${name}" needs confirmation and there is no terminal to ask on.`,
        {
          hint: 'Pass --yes to delete without asking.',
          exitCode: 2,
        },
      );
    }
    const prompter = await getPrompter(options);
    const ok = await prompter.confirm({
      message: `Delete environment ${name} of app ${app} (account ${recorded.account}, ${recorded.region})?`,
      default: false,
    });
    if (!ok) {
      out.note('Nothing deleted.');
      return 1;
    }
  }

  // Exactly one record goes: this environment's, never a rewrite of the others.
  const deleted = await store.deleteEnvironment(app, name);
  if (json) {
    out.json({ app, store: store.kind, deleted, environment: recorded });
    return 0;
  }
  out.line(
    deleted
      ? `${out.style.green('✔')} Deleted environment ${out.style.bold(name)} of app ${out.style.bold(app)} (account ${recorded.account}).`
      : `Environment ${name} was already deleted by another credkit run.`,
  );
  return 0;
}
