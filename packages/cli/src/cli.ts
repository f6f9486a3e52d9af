/**
 * The CLI without the process: argv and streams in, exit code out. One catch turns every error into
 * a message + hint (or JSON) on stderr and an exit code. No stack traces for user errors.
 */

import { isCredkitError } from '@credkit/temp-creds/errors';
import { parseArgs } from './args.js';
import type { CommandContext } from './context.js';
import { commandHelp, groupHelp, mainHelp } from './help.js';
import { colorEnabled, createStyle } from './output.js';
import { homeRelative } from './paths.js';
import { jsonText, terminalText } from './terminal.js';
import { versionInfo, versionText } from './version.js';
import { outputColumns } from './width.js';

export type CliIo = Omit<CommandContext, 'flags' | 'rest' | 'positional'> & {
  /** Writes help/version text without creating the stdout stream (start-up time). */
  writeSmall?: (text: string) => void;
  /** Whether stdout is a terminal, answered without creating the stdout stream. */
  stdoutIsTTY?: () => boolean;
  /** Node's version and platform, for `--version` (main.ts passes process's). */
  runtime?: { version: string; platform: string; arch: string };
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const jsonErrors = argv.includes('--json');
  try {
    const parsed = parseArgs(argv);
    const write = io.writeSmall ?? ((text: string) => io.stdout.write(text));
    if (parsed.kind === 'version') {
      const info = versionInfo(io.runtime);
      write(jsonErrors ? `${jsonText(info, 2)}\n` : versionText(info));
      return 0;
    }
    if (parsed.kind === 'help') {
      const isTTY = io.stdoutIsTTY ? io.stdoutIsTTY() : io.stdout.isTTY;
      const color = colorEnabled({ isTTY }, io.env);
      const style = createStyle(color);
      const width = outputColumns(io.env, isTTY ? io.stdout.columns : undefined);
      const text =
        parsed.command !== undefined
          ? commandHelp(parsed.command, style, width)
          : parsed.group !== undefined
            ? groupHelp(parsed.group, style, width)
            : mainHelp(style, width);
      write(terminalText(`${text}\n`, { color, maskSecrets: false }));
      return 0;
    }
    const handler = await parsed.command.load();
    // Getters stay getters: a command that never reads stdin never creates process.stdin.
    const context: CommandContext = {
      flags: parsed.flags,
      rest: parsed.rest,
      ...(parsed.positional === undefined ? {} : { positional: parsed.positional }),
      env: io.env,
      cwd: io.cwd,
      get stdin() {
        return io.stdin;
      },
      get stdout() {
        return io.stdout;
      },
      get stderr() {
        return io.stderr;
      },
      ...(io.prompter === undefined ? {} : { prompter: io.prompter }),
      ...(io.now === undefined ? {} : { now: io.now }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    };
    return await handler(context);
  } catch (error) {
    return renderError(error, io, jsonErrors);
  }
}

/**
 * Every error reaches stderr through here, escaped and with secret shapes masked (terminalText):
 * messages quote names, values and remote text that credkit did not write.
 */
export function renderError(error: unknown, io: CliIo, json: boolean): number {
  const color = colorEnabled(io.stderr, io.env);
  const style = createStyle(color);
  const write = (text: string) => io.stderr.write(terminalText(text, { color, maskSecrets: true }));
  if (isCredkitError(error)) {
    const message = homeRelative(error.message, io.env);
    const hint = error.hint === undefined ? undefined : homeRelative(error.hint, io.env);
    if (json) {
      const body = { code: error.code, message, ...(hint ? { hint } : {}) };
      io.stderr.write(`${jsonText({ error: body })}\n`);
    } else if (error.exitCode === 130) {
      // Cancelling is the user's choice, not a failure: say what happened, no "error:".
      write(`${message}\n`);
    } else {
      write(`${style.red('error:')} ${message}\n`);
      if (hint) write(`${style.dim('hint:')} ${hint}\n`);
    }
    if (io.env.CREDKIT_DEBUG === '1' && error.stack) write(`${error.stack}\n`);
    return error.exitCode;
  }
  // An unexpected error is a credkit bug. Its message could come from a dependency, so only its
  // name and first line are shown; the stack only on request.
  const e = error instanceof Error ? error : new Error(String(error));
  const firstLine = e.message.split('\n')[0] ?? '';
  const message = `unexpected ${e.name}: ${firstLine}`;
  const hint =
    'This is a bug in credkit: please report it with CREDKIT_DEBUG=1 output (check it holds no secret).';
  if (json) {
    io.stderr.write(`${jsonText({ error: { code: 'INTERNAL_ERROR', message, hint } })}\n`);
  } else {
    write(`${style.red('error:')} ${message}\n${style.dim('hint:')} ${hint}\n`);
  }
  if (io.env.CREDKIT_DEBUG === '1' && e.stack) write(`${e.stack}\n`);
  return 1;
}
