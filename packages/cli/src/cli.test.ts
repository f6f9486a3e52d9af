import { CredkitError } from '@credkit/temp-creds/errors';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../test/in-process.js';
import { renderError, runCli } from './cli.js';
import { colorEnabled, formatExpiry } from './output.js';

function io(env: Record<string, string | undefined> = {}, tty = false) {
  const captured = captureIo({ env, cwd: '/tmp/app', tty });
  return { io: captured.io, out: captured.stdout, err: captured.stderr };
}

describe('renderError', () => {
  it('a CredkitError: message line, hint line, its exit code; no stack', () => {
    const t = io();
    const code = renderError(
      new CredkitError('X_FAILED', 'It failed.', { hint: 'Do this.', exitCode: 2 }),
      t.io,
      false,
    );
    expect(code).toBe(2);
    expect(t.err()).toBe('error: It failed.\nhint: Do this.\n');
  });

  it('--json: the error object on stderr', () => {
    const t = io();
    renderError(new CredkitError('X_FAILED', 'It failed.', { hint: 'Do this.' }), t.io, true);
    expect(JSON.parse(t.err())).toEqual({
      error: { code: 'X_FAILED', message: 'It failed.', hint: 'Do this.' },
    });
  });

  it('cancelled (130): just the message', () => {
    const t = io();
    expect(
      renderError(new CredkitError('PROMPT_CANCELLED', 'Cancelled.', { exitCode: 130 }), t.io, false),
    ).toBe(130);
    expect(t.err()).toBe('Cancelled.\n');
  });

  it('an unexpected error: first line only, a request to report it, stack only with CREDKIT_DEBUG=1', () => {
    const t = io();
    expect(renderError(new TypeError('x is not a function\nsecond line'), t.io, false)).toBe(1);
    expect(t.err()).toMatch(
      /^error: unexpected TypeError: x is not a function\nhint: This is a bug in credkit: please report it/,
    );
    expect(t.err()).not.toContain('second line');
    expect(t.err()).not.toMatch(/\n\s+at /);
    const d = io({ CREDKIT_DEBUG: '1' });
    renderError(new TypeError('boom'), d.io, true);
    expect(JSON.parse(d.err().split('\n')[0]!).error.code).toBe('INTERNAL_ERROR');
    expect(d.err()).toMatch(/\n\s+at /);
  });
});

describe('runCli without a library', () => {
  it('--help and --version write to stdout and exit 0', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('Usage: credkit <command> [flags]');
    const v = io();
    expect(await runCli(['--version'], v.io)).toBe(0);
    expect(v.out()).toMatch(/^credkit \d+\.\d+\.\d+\S* \(@credkit\/cli\)\n {2}@credkit\/app-chain /);
  });

  it('help is colored only on a TTY without NO_COLOR', async () => {
    const tty = io({}, true);
    await runCli(['--help'], tty.io);
    expect(tty.out()).toContain('\u001b[1m');
    const noColor = io({ NO_COLOR: '1' }, true);
    await runCli(['--help'], noColor.io);
    expect(noColor.out()).not.toContain('\u001b[');
  });
});

describe('output helpers', () => {
  it('colorEnabled', () => {
    expect(colorEnabled({ isTTY: true } as never, {})).toBe(true);
    expect(colorEnabled({ isTTY: false } as never, {})).toBe(false);
    expect(colorEnabled({ isTTY: true } as never, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true } as never, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: true } as never, { TERM: 'dumb' })).toBe(false);
  });

  it('formatExpiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(formatExpiry(undefined, now)).toBe('does not expire (long-term keys)');
    expect(formatExpiry(undefined, now, 'token')).toMatch(/^unknown/);
    expect(formatExpiry(new Date('2026-01-01T00:30:00Z'), now)).toBe('2026-01-01T00:30:00.000Z (in 30 min)');
    expect(formatExpiry(new Date('2026-01-01T05:00:00Z'), now)).toBe('2026-01-01T05:00:00.000Z (in 5 h)');
    expect(formatExpiry(new Date('2025-12-31T00:00:00Z'), now)).toMatch(/\(expired\)$/);
  });
});
