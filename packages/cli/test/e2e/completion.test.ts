/**
 * `credkit completion bash|zsh|fish` in the real shells: the script loads, registers itself, and a
 * Tab typed in a pseudo-terminal completes a flag value and a profile name from the world's config.
 * zsh and fish are tested when installed (.ci/run installs them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createWorld, runCli, type World } from './helpers.js';
import { spawnPtyCommand } from './pty.js';

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

let world: World;
let bin: string;
let env: Record<string, string>;
beforeAll(async () => {
  world = await createWorld();
  // The scripts call `credkit` by the name the user typed: put one on PATH, as an install would.
  bin = await mkdtemp(join(tmpdir(), 'credkit-completion-'));
  await writeFile(join(bin, 'credkit'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  await chmod(join(bin, 'credkit'), 0o755);
  env = { ...world.env, HOME: bin, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const init = await runCli(['env', 'init', 'prod-iad', '--profile', 'prod-iad'], { env: world.env });
  expect(init.code).toBe(0);
});
afterAll(async () => {
  await world.close();
  await rm(bin, { recursive: true, force: true });
});

/** Runs the bash completion function for a command line (the last word is being completed). */
function bashComplete(words: string[]): string[] {
  const script = `source <(credkit completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_credkit_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { env, encoding: 'utf8' });
  return out.split('\n').filter((line) => line !== '');
}

describe('bash', () => {
  it('registers the completion function for credkit', () => {
    const out = execFileSync(
      'bash',
      ['--norc', '-c', 'source <(credkit completion bash); complete -p credkit'],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('complete -F _credkit_complete credkit');
  });

  it('completes commands, flags, formats, profiles and environments', () => {
    expect(bashComplete(['credkit', 'ex'])).toEqual(['export', 'exec']);
    expect(bashComplete(['credkit', 'env', 'sh'])).toEqual(['show']);
    expect(bashComplete(['credkit', 'export', '--fo'])).toEqual(['--format']);
    expect(bashComplete(['credkit', 'export', '--format', 'env'])).toEqual(['env', 'env-no-export']);
    expect(bashComplete(['credkit', 'export', '--format', '=', 'po'])).toEqual(['powershell']);
    expect(bashComplete(['credkit', 'export', '--format', '='])).toContain('=json');
    expect(bashComplete(['credkit', 'exec', 'prod-'])).toEqual(['prod-iad', 'prod-pdx']);
    expect(bashComplete(['credkit', 'env', 'show', ''])).toEqual(['prod-iad']);
    expect(bashComplete(['credkit', 'exec', '--env', 'pr'])).toEqual(['prod-iad']);
  });

  it("completes exec's command as bash completes commands", () => {
    expect(bashComplete(['credkit', 'exec', 'test', '--', 'bas'])).toContain('bash');
  });

  it('prints nothing secret while completing', () => {
    const all = [
      ...bashComplete(['credkit', 'export', '']),
      ...bashComplete(['credkit', 'export', '--env', '']),
    ].join('\n');
    expect(all).not.toContain(world.users.prodIad.secretAccessKey);
    expect(all).not.toContain(world.users.prodIad.accessKeyId);
  });

  it('a Tab typed at an interactive bash completes a profile name', async () => {
    const term = spawnPtyCommand('bash', ['--norc', '--noprofile', '-i'], { ...env, PS1: 'b$ ' });
    try {
      await term.waitFor('b$ ');
      await term.type('source <(credkit completion bash)\r');
      await term.waitFor(/b\$ .*\n.*b\$ /s);
      await term.type('credkit exec prod-p\t');
      await term.type('\u0001echo \r');
      await term.waitFor(/^credkit exec prod-pdx\s*$/m);
    } finally {
      term.kill();
    }
  });
});

/**
 * Types a command line and a Tab in an interactive shell, then turns the line into an `echo` of
 * itself and waits for the completed line to come back.
 */
async function expectTab(file: string, args: string[], setup: string, line: string, completed: string) {
  const term = spawnPtyCommand(file, args, env);
  try {
    // The shell's own prompt: `#` as root, `%` (zsh) or `>` (fish) otherwise.
    await term.waitFor(/[#%>] $/m);
    await term.type(`${setup}\r`);
    await term.type('echo setup-done\r');
    await term.waitFor(/^setup-done\s*$/m);
    await term.type(`${line}\t`);
    // Ctrl-A: start of line (emacs keys, the default of zsh and fish too).
    await term.type('\u0001echo \r');
    await term.waitFor(new RegExp(`^${completed}\\s*$`, 'm'));
  } finally {
    term.kill();
  }
}

const SHELLS = [
  {
    shell: 'zsh',
    check: ['-n'],
    args: ['-f', '-i'],
    setup: 'autoload -Uz compinit && compinit -u && source <(credkit completion zsh)',
  },
  {
    shell: 'fish',
    check: ['--no-execute'],
    args: ['--no-config', '-i'],
    setup: 'credkit completion fish | source',
  },
];

describe.each(SHELLS)('$shell', ({ shell, check, args, setup }) => {
  it.skipIf(!has(shell))('the script is valid', () => {
    const script = join(bin, `credkit.${shell}`);
    execFileSync('sh', ['-c', `credkit completion ${shell} > '${script}'`], { env });
    const result = spawnSync(shell, [...check, script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!has(shell))('a Tab completes an export format and a profile name', async () => {
    await expectTab(shell, args, setup, 'credkit export --format powe', 'credkit export --format powershell');
    await expectTab(shell, args, setup, 'credkit exec prod-p', 'credkit exec prod-pdx');
  });
});
