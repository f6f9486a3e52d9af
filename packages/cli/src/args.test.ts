import { isCredkitError } from '@credkit/temp-creds/errors';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

function run(argv: string) {
  const parsed = parseArgs(argv === '' ? [] : argv.split(' '));
  if (parsed.kind !== 'run')
    return parsed.kind === 'help'
      ? { help: parsed.command?.name ?? parsed.group ?? 'main' }
      : { version: true };
  return { command: parsed.command.name, flags: parsed.flags, rest: parsed.rest };
}

function failure(argv: string[]) {
  try {
    parseArgs(argv);
  } catch (error) {
    if (!isCredkitError(error)) throw error;
    return { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint };
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
}

describe('parseArgs: argv to options', () => {
  it.each([
    ['', { help: 'main' }],
    ['--help', { help: 'main' }],
    ['-h', { help: 'main' }],
    ['--version', { version: true }],
    ['-v', { version: true }],
    ['help env init', { help: 'env init' }],
    ['env --help', { help: 'env' }],
    ['env init --help', { help: 'env init' }],
    ['export -h', { help: 'export' }],
    ['app whoami', { command: 'app whoami', flags: {}, rest: [] }],
    ['app whoami --json', { command: 'app whoami', flags: { json: true }, rest: [] }],
    ['app explain --json', { command: 'app explain', flags: { json: true }, rest: [] }],
    ['profiles --json', { command: 'profiles', flags: { json: true }, rest: [] }],
    ['env init --name prod-iad', { command: 'env init', flags: { name: 'prod-iad' }, rest: [] }],
    [
      'env init --name=prod-iad --profile=p --region us-west-2',
      { command: 'env init', flags: { name: 'prod-iad', profile: 'p', region: 'us-west-2' }, rest: [] },
    ],
    [
      'env init --name e --aws-access-key-id AKIA --aws-secret-access-key S --aws-session-token T',
      {
        command: 'env init',
        flags: {
          name: 'e',
          'aws-access-key-id': 'AKIA',
          'aws-secret-access-key': 'S',
          'aws-session-token': 'T',
        },
        rest: [],
      },
    ],
    [
      'env init --name e --credentials-stdin --app web',
      { command: 'env init', flags: { name: 'e', 'credentials-stdin': true, app: 'web' }, rest: [] },
    ],
    ['env ls --app web', { command: 'env ls', flags: { app: 'web' }, rest: [] }],
    ['env show --name e --json', { command: 'env show', flags: { name: 'e', json: true }, rest: [] }],
    ['env delete --name e -y', { command: 'env delete', flags: { name: 'e', yes: true }, rest: [] }],
    ['export', { command: 'export', flags: {}, rest: [] }],
    ['export --profile p -f env', { command: 'export', flags: { profile: 'p', format: 'env' }, rest: [] }],
    [
      'export --env prod --format fish',
      { command: 'export', flags: { env: 'prod', format: 'fish' }, rest: [] },
    ],
    [
      'exec --profile p -- aws s3 ls --recursive',
      { command: 'exec', flags: { profile: 'p' }, rest: ['aws', 's3', 'ls', '--recursive'] },
    ],
    ['exec -- env', { command: 'exec', flags: {}, rest: ['env'] }],
    ['exec --env prod node -e 1', { command: 'exec', flags: { env: 'prod' }, rest: ['node', '-e', '1'] }],
    ['exec --profile p -- cmd --help', { command: 'exec', flags: { profile: 'p' }, rest: ['cmd', '--help'] }],
    // Positionals, as people type them.
    ['export deploy', { command: 'export', flags: { profile: 'deploy' }, rest: [] }],
    [
      'export deploy --format env',
      { command: 'export', flags: { profile: 'deploy', format: 'env' }, rest: [] },
    ],
    ['export deploy --profile deploy', { command: 'export', flags: { profile: 'deploy' }, rest: [] }],
    [
      'exec deploy -- aws s3 ls',
      { command: 'exec', flags: { profile: 'deploy' }, rest: ['aws', 's3', 'ls'] },
    ],
    ['exec deploy aws s3 ls', { command: 'exec', flags: { profile: 'deploy' }, rest: ['aws', 's3', 'ls'] }],
    ['exec deploy --session', { command: 'exec', flags: { profile: 'deploy', session: true }, rest: [] }],
    ['exec deploy', { command: 'exec', flags: { profile: 'deploy' }, rest: [] }],
    ['exec --profile p', { command: 'exec', flags: { profile: 'p' }, rest: [] }],
    ['exec --nested p -- ls', { command: 'exec', flags: { nested: true, profile: 'p' }, rest: ['ls'] }],
    // After --profile or --env the first word is the command, also when `--` comes later.
    [
      'exec --profile p npm run x -- --flag',
      { command: 'exec', flags: { profile: 'p' }, rest: ['npm', 'run', 'x', '--', '--flag'] },
    ],
    ['env show prod-iad', { command: 'env show', flags: { name: 'prod-iad' }, rest: [] }],
    ['env delete prod-iad -y', { command: 'env delete', flags: { name: 'prod-iad', yes: true }, rest: [] }],
    [
      'env init prod-iad --profile p',
      { command: 'env init', flags: { name: 'prod-iad', profile: 'p' }, rest: [] },
    ],
    ['sessions refresh admin', { command: 'sessions refresh', flags: { profile: 'admin' }, rest: [] }],
    ['completion bash', { command: 'completion', flags: { shell: 'bash' }, rest: [] }],
    [
      '__complete bash -- export --format',
      { command: '__complete', flags: { shell: 'bash' }, rest: ['export', '--format'] },
    ],
  ])('%s', (argv, expected) => {
    expect(run(argv)).toEqual(expected);
  });
});

describe('parseArgs: usage errors exit 2 with a code and a hint', () => {
  it.each([
    [['frobnicate'], 'UNKNOWN_COMMAND', /Unknown command `frobnicate`/],
    [['profile'], 'UNKNOWN_COMMAND', /Did you mean `credkit profiles`/],
    [['env', 'int'], 'UNKNOWN_COMMAND', /Did you mean `credkit env init`/],
    [['app', 'whoam'], 'UNKNOWN_COMMAND', /credkit app whoami/],
    [['env'], 'MISSING_COMMAND', /init, ls, show, delete/],
    [['--jsn'], 'UNKNOWN_FLAG', /--jsn/],
    [['profiles', '--jsn'], 'UNKNOWN_FLAG', /Did you mean --json/],
    [['env', 'init', '--nmae', 'x'], 'UNKNOWN_FLAG', /Did you mean --name/],
    [['env', 'init'], 'MISSING_FLAG', /--name/],
    [['env', 'show'], 'MISSING_FLAG', /--name/],
    [['env', 'delete', '--yes'], 'MISSING_FLAG', /--name/],
    [['env', 'init', '--name'], 'MISSING_VALUE', /--name/],
    [['env', 'init', '--name', '--json'], 'MISSING_VALUE', /--name/],
    [['env', 'init', '--name='], 'MISSING_VALUE', /--name/],
    [['env', 'init', '--name', 'a', '--name', 'b'], 'FLAG_REPEATED', /--name/],
    [['profiles', '--json=yes'], 'INVALID_FLAG_VALUE', /--json takes no value/],
    [['export', '--format', 'bash'], 'INVALID_FLAG_VALUE', /process, env, env-no-export/],
    [['export', '--format', 'dotnev'], 'INVALID_FLAG_VALUE', /Did you mean --format dotenv/],
    [
      ['env', 'init', '--name', 'e', '--profile', 'p', '--credentials-stdin'],
      'FLAG_CONFLICT',
      /--profile and --credentials-stdin/,
    ],
    [
      [
        'env',
        'init',
        '--name',
        'e',
        '--credentials-stdin',
        '--aws-access-key-id',
        'A',
        '--aws-secret-access-key',
        'S',
      ],
      'FLAG_CONFLICT',
      /--aws-access-key-id and --credentials-stdin/,
    ],
    [
      ['env', 'delete', '--name', 'e', '--profile', 'p', '--credentials-stdin'],
      'FLAG_CONFLICT',
      /--profile and --credentials-stdin/,
    ],
    [['export', '--profile', 'p', '--env', 'e'], 'FLAG_CONFLICT', /--profile and --env/],
    // --profile with key flags, and a key without its partner: the library's rule, checked by the
    // handlers (credential-flags.test.ts), so the parser lets them through.
    [['export', '--no-verify'], 'MISSING_FLAG', /--no-verify needs --env/],
    [['exec', '--profile', 'p', '--env', 'e', '--', 'ls'], 'FLAG_CONFLICT', /--profile and --env/],
    [['export', 'deploy', '--profile', 'other'], 'ARGUMENT_CONFLICT', /given twice: `deploy` and --profile/],
    [
      ['exec', 'deploy', '--profile', 'other', '--', 'ls'],
      'ARGUMENT_CONFLICT',
      /`deploy` and --profile other/,
    ],
    [['env', 'show', 'a', '--name', 'b'], 'ARGUMENT_CONFLICT', /environment name is given twice/],
    [['export', 'deploy', '--env', 'prod'], 'FLAG_CONFLICT', /The profile name `deploy` and --env/],
    [['exec', 'deploy', '--env', 'prod'], 'FLAG_CONFLICT', /The profile name `deploy` and --env/],
    [['export', 'deploy', 'extra'], 'UNEXPECTED_ARGUMENT', /takes one profile name \(`deploy` given\)/],
    [['env', 'show', 'a', 'b'], 'UNEXPECTED_ARGUMENT', /takes one environment name/],
    [['env', 'show'], 'MISSING_FLAG', /credkit env show NAME/],
    [['sessions', 'refresh'], 'MISSING_FLAG', /credkit sessions refresh P/],
    [['completion', 'tcsh'], 'INVALID_FLAG_VALUE', /bash, zsh, fish/],
    [['completion'], 'MISSING_FLAG', /credkit completion bash\|zsh\|fish/],
    [['env', 'ls', 'extra'], 'UNEXPECTED_ARGUMENT', /Unexpected argument `extra`/],
    [['profiles', '--', 'x'], 'UNEXPECTED_ARGUMENT', /no arguments after --/],
    [['env', 'ls', '--yes'], 'UNKNOWN_FLAG', /--yes/],
  ])('%j → %s', (argv, code, message) => {
    const error = failure(argv);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(`${error.message} ${error.hint}`).toMatch(message as RegExp);
    expect(error.hint).toBeTruthy();
  });

  it('names a flag the command has when a bare word is not expected', () => {
    // `export` takes a profile name now; a command without positional must not suggest --name.
    const ls = failure(['env', 'ls', 'my-app']);
    expect(ls.hint).toContain('--app APP');
    expect(ls.hint).not.toContain('--name');
    const profiles = failure(['profiles', 'deploy']);
    expect(profiles.message).toContain('takes no arguments');
    expect(profiles.hint).toBe('Run `credkit profiles --help`.');
  });

  it('reports which flag a bare word filled, so exec can word its hints', () => {
    const parsed = parseArgs(['exec', 'deploy', '--', 'ls']);
    expect(parsed).toMatchObject({ kind: 'run', positional: 'profile' });
    expect(parseArgs(['exec', '--profile', 'deploy', '--', 'ls'])).not.toHaveProperty('positional');
  });

  it('never echoes a secret given to an unknown flag neighbour', () => {
    const error = failure(['env', 'init', '--name', 'e', '--aws-secret-acess-key', 'wJalrSECRET']);
    expect(error.code).toBe('UNKNOWN_FLAG');
    expect(`${error.message} ${error.hint}`).not.toContain('wJalrSECRET');
  });
});
