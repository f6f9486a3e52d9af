/**
 * Every credkit command in one table: name, flags, help text and a loader for its handler (the
 * other files of this folder, one per command). Handlers are loaded with `import()` so that `--help`,
 * `--version` and usage errors never load a library, and each command loads only what it uses.
 * Nothing below imports this table: the handlers get all they need through CommandContext.
 */
import type { CommandSpec, FlagSpec } from '../context.js';
import { EXPORT_FORMATS } from '../formats.js';
import { STORE_KINDS } from '../store/types.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const json: FlagSpec = { type: 'boolean', description: 'Print machine-readable JSON on stdout.' };
const app: FlagSpec = {
  type: 'string',
  valueName: 'APP',
  description: 'Application name (default: $CREDKIT_APP, else the current directory name).',
};
/** The environment an `env show`/`env delete` acts on (also the bare argument). */
const envName: FlagSpec = {
  type: 'string',
  valueName: 'NAME',
  required: true,
  complete: 'environments',
  description: 'Environment name; also accepted as the argument.',
};
const store: FlagSpec = {
  type: 'string',
  valueName: 'STORE',
  choices: STORE_KINDS,
  description:
    'Metadata store: file (this machine) or ssm (SSM Parameter Store of the application account). Default: $CREDKIT_STORE, else file.',
};
const mfaCode: FlagSpec = {
  type: 'string',
  valueName: 'CODE',
  description: 'MFA code for an assume-role profile when there is no terminal to ask on.',
};

const envCredentialFlags: Record<string, FlagSpec> = {
  profile: {
    type: 'string',
    valueName: 'P',
    complete: 'profiles',
    description: 'Use the named profile for the environment.',
  },
  'aws-access-key-id': {
    type: 'string',
    valueName: 'ID',
    description: 'Temporary or long-term access key ID for the environment.',
  },
  'aws-secret-access-key': {
    type: 'string',
    valueName: 'KEY',
    description: 'Secret access key (visible to other processes: prefer --credentials-stdin).',
  },
  'aws-session-token': {
    type: 'string',
    valueName: 'T',
    description: 'Session token that goes with temporary keys.',
  },
  'credentials-stdin': {
    type: 'boolean',
    description:
      'Read credentials from stdin: credential_process JSON, or any `credkit export --format` or `aws configure export-credentials` output.',
  },
  'mfa-code': mfaCode,
};

// --profile against the key flags, and a key without its partner, are the library's rule
// (interpretCredentialFlags, applied by checkCredentialFlags in flows.ts): only stdin is the CLI's.
const envCredentialConflicts: string[][][] = [
  [['profile', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'], ['credentials-stdin']],
];

const sourceFlags: Record<string, FlagSpec> = {
  profile: {
    type: 'string',
    valueName: 'P',
    complete: 'profiles',
    description: 'Credentials of this profile.',
  },
  env: {
    type: 'string',
    valueName: 'NAME',
    complete: 'environments',
    description: 'Credentials of an environment recorded with a profile.',
  },
  app: { ...app, description: 'Application of --env (default: $CREDKIT_APP, else the directory name).' },
  'no-verify': {
    type: 'boolean',
    requires: ['env'],
    description:
      'With --env: do not check with STS that the credentials still belong to the recorded account (offline use).',
  },
  store: {
    ...store,
    description: 'Store that records --env: file or ssm (default: $CREDKIT_STORE, else file).',
  },
  'mfa-code': mfaCode,
  session: {
    type: 'boolean',
    description:
      "Trade long-term keys for a one-hour STS session (GetSessionToken, with the profile's mfa_serial), cached.",
  },
};

const SESSION_CACHE_NOTE = `Sessions are kept where the AWS CLI keeps them, ~/.aws/cli/cache/<key>.json (0600), so a
session started by either tool serves both. CREDKIT_SESSION_CACHE=credkit keeps credkit's sessions
in CREDKIT_HOME/sessions instead; CREDKIT_SESSION_CACHE=off keeps none.`;

const APP_CHAIN_NOTE =
  'Application credentials come from the default chain: AWS_PROFILE, [default], credential_process,\nSSO, assume-role, web identity, container and instance credentials.';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'app whoami',
    summary: 'Show which application credentials credkit resolves, verified with STS',
    usage: 'credkit app whoami [--json]',
    description: `Resolves the application credentials and verifies them with STS GetCallerIdentity.
Prints where they came from, the account, the ARN, the region and the expiry.
The AWS account root user is refused.

${APP_CHAIN_NOTE}`,
    flags: { json, 'mfa-code': mfaCode },
    examples: ['credkit app whoami', 'AWS_PROFILE=my-app credkit app whoami --json'],
    fast: true,
    load: async () => (await import('./app-whoami.js')).appWhoamiCommand,
  },
  {
    name: 'app explain',
    summary: 'Show each link of the application credential chain and what it decided',
    usage: 'credkit app explain [--json]',
    description: `Walks the application credential chain and prints one line per link: skipped (does not
apply), used, or broken (with the reason), then the final result.

${APP_CHAIN_NOTE}`,
    flags: { json, 'mfa-code': mfaCode },
    examples: ['credkit app explain', 'credkit app explain --json | jq .links'],
    load: async () => (await import('./app-explain.js')).appExplainCommand,
  },
  {
    name: 'profiles',
    summary: 'List the named profiles of the shared config and credentials files',
    usage: 'credkit profiles [--json]',
    description: `Lists every named profile: its name, kind (static, assume-role, sso, credential_process...),
region, the file and line where it is defined, and any problem found in it. Secrets are masked.
No AWS call is made.`,
    flags: { json },
    examples: ['credkit profiles', 'credkit profiles --json | jq -r ".[].name"'],
    fast: true,
    load: async () => (await import('./profiles.js')).profilesCommand,
  },
  {
    name: 'env init',
    summary: 'Create an environment: choose its credentials, verify them, record it',
    usage:
      'credkit env init [NAME | --name NAME] [--app APP] [--profile P | --aws-access-key-id ID --aws-secret-access-key KEY [--aws-session-token T] | --credentials-stdin] [--region R] [--store file|ssm] [--json]',
    description: `Records an environment of the application: its name, AWS account, region and credential
source (a profile name or "temporary"; never a secret).

1. Every flag is checked before anything is asked or called. The application credentials are
   resolved and verified first: they own the metadata. The first environment pins the
   application's account; later runs must resolve to the same account.
2. The environment credentials come from the flags or, on a terminal, from the question
   "Which credentials would you like to use to create NAME?". Without a terminal credkit never
   prompts: pass --profile, --credentials-stdin, or the --aws-* flags.
3. They are verified with STS (root refused; expired keys reported). On a terminal a wrong
   answer is asked again, up to three tries; Ctrl-C, Escape or Ctrl-D cancel.
4. The region comes from --region, the chosen profile, or the prompt.
5. The record goes to the metadata store: --store file (default, this machine) or --store ssm (SSM
   Parameter Store in the application's account and region, shared by the team). A name that exists
   with another account or region is ENV_EXISTS; the same one again is a no-op.`,
    flags: {
      name: {
        type: 'string',
        valueName: 'NAME',
        required: true,
        description: 'Environment name, e.g. prod-iad; also accepted as the argument.',
      },
      app,
      ...envCredentialFlags,
      region: { type: 'string', valueName: 'R', description: 'Region of the environment, e.g. us-east-1.' },
      store,
      json,
    },
    conflicts: envCredentialConflicts,
    positional: { flag: 'name', what: 'environment name' },
    examples: [
      'credkit env init --name prod-iad',
      'credkit env init --name prod-iad --profile prod-iad',
      'aws configure export-credentials --profile ops | credkit env init --name test --credentials-stdin --region eu-west-1',
    ],
    load: async () => (await import('./env-init.js')).envInitCommand,
  },
  {
    name: 'env ls',
    summary: "List the application's environments (--all: every application's)",
    usage: 'credkit env ls [--app APP | --all] [--store file|ssm] [--json]',
    description: `Reads the metadata store. The file store makes no AWS call; the SSM store reads the
parameters under /credkit/applications/APP with the application credentials, in the application region.
Which store was read is printed on stderr (stdout stays the table) and in --json.
Environments are sorted by name (prod-2 before prod-10). --all lists every application the store
holds, grouped by application and sorted by name; a record that cannot be read is reported on
stderr (and in --json) and makes the command exit 1 after listing the others.`,
    flags: {
      app,
      all: {
        type: 'boolean',
        short: 'a',
        description: 'Every application in the store, grouped by application.',
      },
      store,
      json,
    },
    conflicts: [[['app'], ['all']]],
    examples: [
      'credkit env ls',
      'credkit env ls --app my-service --json',
      'credkit env ls --store ssm',
      'credkit env ls --all --store ssm',
    ],
    fast: true,
    load: async () => (await import('./env-ls.js')).envLsCommand,
  },
  {
    name: 'env show',
    summary: 'Show one environment',
    usage: 'credkit env show NAME [--app APP] [--store file|ssm] [--json]',
    description: 'Reads the metadata store (see `credkit env ls --help`); says which store on stderr.',
    flags: {
      name: envName,
      app,
      store,
      json,
    },
    positional: { flag: 'name', what: 'environment name' },
    examples: ['credkit env show prod-iad', 'credkit env show --name prod-iad --store ssm --json'],
    load: async () => (await import('./env-show.js')).envShowCommand,
  },
  {
    name: 'env delete',
    summary: 'Delete an environment (its credentials must reach the recorded account)',
    usage:
      'credkit env delete [NAME | --name NAME] [--app APP] [--profile P | --aws-access-key-id ID --aws-secret-access-key KEY [--aws-session-token T] | --credentials-stdin] [--yes] [--store file|ssm]',
    description: `Removes an environment from the application's metadata. Environment credentials are needed
again: the recorded profile, the flags, or (on a terminal) the prompt for temporary credentials.
They must resolve to the recorded account, else nothing is deleted.
Asks for confirmation on a terminal unless --yes is given.`,
    flags: {
      name: envName,
      app,
      ...envCredentialFlags,
      yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation.' },
      store,
      json,
    },
    conflicts: envCredentialConflicts,
    positional: { flag: 'name', what: 'environment name' },
    examples: ['credkit env delete test', 'credkit env delete --name test --profile test --yes'],
    load: async () => (await import('./env-delete.js')).envDeleteCommand,
  },
  {
    name: 'export',
    summary: 'Print credentials for a shell, a .env file, or credential_process',
    usage:
      'credkit export [PROFILE | --profile P | --env NAME] [--format process|env|env-no-export|dotenv|json|powershell|fish]',
    description: `Prints credentials of the application chain (no flag), of a profile, or of an environment
recorded with a profile. This prints secrets on purpose: redirect it, do not paste it.

The default format, process, is credential_process JSON, so this works in ~/.aws/config:
  credential_process = credkit export --profile base
A profile whose credential_process calls credkit for itself is detected and refused.

Role (and MFA) and SSO sessions are cached, so an MFA code is typed once per session and
credential_process works without a terminal while a session is valid. --session prints an STS
session instead of a long-term key.

Formats: process (credential_process JSON), env (export VAR=...), env-no-export (VAR=...),
dotenv (VAR="..."), json ({accessKeyId, ...}), powershell ($Env:VAR='...'), fish (set -gx VAR ...).`,
    flags: {
      ...sourceFlags,
      format: {
        type: 'string',
        short: 'f',
        valueName: 'FORMAT',
        choices: EXPORT_FORMATS,
        description: 'Output format (default: process).',
      },
    },
    conflicts: [[['profile'], ['env']]],
    positional: { flag: 'profile', what: 'profile name' },
    examples: [
      'eval "$(credkit export prod-iad --format env)"',
      'credkit export --profile ops --session --format env',
      'credkit export --env prod-iad --format dotenv > .env',
    ],
    fast: true,
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'exec',
    summary: 'Run a command with credentials and region in its environment',
    usage: 'credkit exec [PROFILE | --profile P | --env NAME] [-- COMMAND [ARGS...]]',
    description: `Runs COMMAND with the credentials of the application chain (no flag), of a profile, or of
an environment recorded with a profile: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION set, and every other AWS_* credential
or profile variable removed. Signals are forwarded; credkit exits with the command's exit code
(128 + signal number if it was killed, 127 if it was not found).

Without a command, opens $SHELL (else /bin/sh) with the credentials; exit
leaves it. CREDKIT_PROFILE is set for the command (the profile, or "app" for
the application chain); an exec inside it is refused unless --nested is given.`,
    flags: {
      ...sourceFlags,
      nested: {
        type: 'boolean',
        description: 'Run even inside another credkit exec (CREDKIT_PROFILE is set).',
      },
    },
    conflicts: [[['profile'], ['env']]],
    passthrough: true,
    positional: { flag: 'profile', what: 'profile name' },
    examples: [
      'credkit exec prod-iad -- aws s3 ls',
      'credkit exec prod-iad',
      'credkit exec --env prod-iad -- terraform plan',
    ],
    load: async () => (await import('./exec.js')).execCommand,
  },
  {
    name: 'store copy',
    summary: "Copy an application's records from one metadata store to the other",
    usage: 'credkit store copy --from file|ssm --to ssm|file [--app APP] [--json]',
    description: `Copies every environment of the application from one store to the other, creating each one
unless it exists. A record already there with the same account and region is left alone; one with
another account or region is never overwritten: it is reported and the command exits 1. Running it
twice changes nothing. The SSM side uses the application credentials, which must belong to the
application's pinned account.`,
    flags: {
      app,
      from: { ...store, required: true, description: 'Store to copy from: file or ssm.' },
      to: { ...store, required: true, description: 'Store to copy to: ssm or file.' },
      json,
    },
    examples: [
      'credkit store copy --app my-service --from file --to ssm',
      'credkit store copy --app my-service --from ssm --to file --json',
    ],
    load: async () => (await import('./store-copy.js')).storeCopyCommand,
  },
  {
    name: 'sessions',
    summary: 'List the cached sessions credkit can use (never a secret)',
    usage: 'credkit sessions [--json]',
    description: `Lists the cached role, SSO and --session sessions that the profiles of the shared config
would use: profile, kind, role, account, expiry, and which tool wrote it (credkit or the AWS CLI).
No AWS call is made and no secret is printed.

  credkit sessions clear [--profile P]     remove cached sessions
  credkit sessions refresh --profile P     start a new session (asks for the MFA code)

${SESSION_CACHE_NOTE}`,
    flags: { json },
    examples: ['credkit sessions', 'credkit sessions --json | jq -r ".[].profile"'],
    load: async () => (await import('./sessions.js')).sessionsCommand,
  },
  {
    name: 'sessions clear',
    summary: 'Remove cached sessions, of one profile or of all',
    usage: 'credkit sessions clear [PROFILE | --profile P] [--json]',
    description: `Removes the cached sessions of the named profile, or of every profile. In the shared AWS CLI
cache only the sessions of configured profiles are removed; the AWS CLI may keep others there.

${SESSION_CACHE_NOTE}`,
    flags: {
      profile: {
        type: 'string',
        valueName: 'P',
        complete: 'profiles',
        description: 'Only the sessions of this profile.',
      },
      json,
    },
    positional: { flag: 'profile', what: 'profile name' },
    examples: ['credkit sessions clear --profile admin-mfa', 'credkit sessions clear'],
    load: async () => (await import('./sessions.js')).sessionsClearCommand,
  },
  {
    name: 'sessions refresh',
    summary: 'Start a new session for a profile (asks for its MFA code on the terminal)',
    usage: 'credkit sessions refresh PROFILE [--mfa-code CODE] [--json]',
    description: `Discards the profile's cached session, starts a new one (asking for the MFA code on the
terminal, or taking --mfa-code) and caches it. Prints the profile, role and expiry; never the
credentials. Run it in a terminal when credential_process or a script reports MFA_CODE_REQUIRED.

${SESSION_CACHE_NOTE}`,
    flags: {
      profile: {
        type: 'string',
        valueName: 'P',
        required: true,
        complete: 'profiles',
        description: 'The profile to refresh; also accepted as the argument.',
      },
      'mfa-code': mfaCode,
      json,
    },
    positional: { flag: 'profile', what: 'profile name' },
    examples: ['credkit sessions refresh --profile admin-mfa'],
    load: async () => (await import('./sessions.js')).sessionsRefreshCommand,
  },
  {
    name: 'completion',
    summary: 'Print a shell completion script (bash, zsh or fish)',
    usage: 'credkit completion bash|zsh|fish',
    description: `Prints a script that completes commands, flags, profile and environment names
and export formats. On each Tab it runs credkit, which reads the shared config
and the file store: no AWS call, no secret. Load it at shell start-up:

  bash  (~/.bashrc)                      source <(credkit completion bash)
  zsh   (~/.zshrc, after compinit)       source <(credkit completion zsh)
  fish  (~/.config/fish/config.fish)     credkit completion fish | source`,
    flags: {
      shell: {
        type: 'string',
        valueName: 'SHELL',
        required: true,
        choices: SHELLS,
        description: 'bash, zsh or fish; also accepted as the argument.',
      },
    },
    positional: { flag: 'shell', what: 'shell name' },
    examples: ['credkit completion bash > ~/.local/share/bash-completion/completions/credkit'],
    load: async () => (await import('./completion.js')).completionCommand,
  },
  {
    name: '__complete',
    summary: 'Print the completions of a partly typed command line (used by the completion scripts)',
    usage: 'credkit __complete SHELL -- WORD... CURRENT',
    description: 'Prints one candidate per line; reads the shared config and the file store only.',
    flags: {
      shell: { type: 'string', valueName: 'SHELL', required: true, choices: SHELLS, description: 'Shell.' },
    },
    positional: { flag: 'shell', what: 'shell name' },
    passthrough: true,
    hidden: true,
    fast: true,
    examples: ['credkit __complete bash -- export --format ""'],
    load: async () => {
      // The table is handed over rather than imported, so the handler carries no second copy of it.
      const { completeCommand } = await import('./complete.js');
      return (context) => completeCommand(context, COMMANDS, GROUPS);
    },
  },
];

/** Two-word commands, by their first word (a group may also be a command by itself: `sessions`). */
export const GROUPS: Record<string, string[]> = {
  app: ['whoami', 'explain'],
  env: ['init', 'ls', 'show', 'delete'],
  store: ['copy'],
  sessions: ['clear', 'refresh'],
};
