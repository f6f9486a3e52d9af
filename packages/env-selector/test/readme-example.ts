// The usage example of README.md, kept here so `tsc` proves it compiles. Keep the two in sync.
import { STSClient } from '@aws-sdk/client-sts';
import { createTerminalPrompter, isInteractive } from '@credkit/temp-creds/prompter';
import { listProfiles, resolveEnvironmentRegion, selectEnvironmentCredentials } from '../src/index.js';

export async function readmeExample(flags: { profile?: string; region?: string }): Promise<void> {
  // Every named profile once, in `aws configure list-profiles` order, with what to fix.
  const listing = await listProfiles();
  for (const profile of listing.profiles) {
    console.log(profile.name, profile.kind, profile.region ?? '-', profile.incompleteReason ?? '');
    for (const d of profile.diagnostics) console.log(`  ${d.file}:${d.line} ${d.code} ${d.message}`);
  }

  // Which credentials create the environment: from flags, else asked, else NOT_INTERACTIVE.
  const interactive = isInteractive({ stdin: process.stdin, stdout: process.stdout, env: process.env });
  const prompter = interactive
    ? createTerminalPrompter({ input: process.stdin, output: process.stdout })
    : undefined;
  const selection = await selectEnvironmentCredentials({
    envName: 'prod-iad',
    flags: { profile: flags.profile },
    interactive,
    ...(prompter ? { prompter } : {}),
    sharedConfig: listing.sharedConfig, // the files are not read twice
  });
  const { region } = await resolveEnvironmentRegion({
    flagRegion: flags.region,
    profile: selection.profile,
    interactive,
    prompter,
    envName: 'prod-iad',
  });
  const sts = new STSClient({ region, credentials: selection.provider });
  console.log(selection.choice, await sts.config.credentials());
}
