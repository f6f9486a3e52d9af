import { describe, expect, it } from 'vitest';
import { buildSharedConfig } from './merge.js';
import { parseConfigFile } from './parse.js';

// Issue 7: whatever the file holds, the parser returns or throws a coded CredkitError naming the
// file and line, in time linear in the input.
function outcome(text: string, kind: 'config' | 'credentials' = 'config'): 'ok' | 'error' {
  try {
    buildSharedConfig({ [kind]: parseConfigFile(text, { kind, path: '/x/config' }) });
    return 'ok';
  } catch (error: unknown) {
    expect(error).toMatchObject({ name: 'CredkitError', code: 'CONFIG_PARSE_ERROR' });
    const { details, message } = error as { details: { file: string; line: number }; message: string };
    expect(details.file).toBe('/x/config');
    expect(details.line).toBeGreaterThan(0);
    expect(message).toContain(`/x/config:${details.line}:`);
    return 'error';
  }
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Each case below takes milliseconds to a few hundred; a quadratic slip on a megabyte takes hours. The
 * bound only guards that, never the machine's speed (npm run bench measures speed).
 */
const HANG_GUARD_MS = 10_000;

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function profilesText(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `[profile p${i}]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/deploy-${i}\nsource_profile = base\nrole_session_name = s${i}\n`,
    );
  }
  return parts.join('');
}

describe('hostile input', () => {
  it('survives random bytes (1000 seeded inputs) with ok or a coded error', () => {
    const next = random(42);
    const alphabet = [
      '[',
      ']',
      '=',
      ' ',
      '\t',
      '\n',
      '\r',
      '#',
      ';',
      'a',
      'profile ',
      'sso-session ',
      '\u0000',
      '\uFEFF',
      'é',
    ];
    for (let n = 0; n < 1000; n++) {
      let text = '';
      const length = Math.floor(next() * 200);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      outcome(text, n % 2 === 0 ? 'config' : 'credentials');
    }
  });

  it('survives raw binary decoded as UTF-8', () => {
    const next = random(7);
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
    outcome(bytes.toString('utf8'));
    outcome(`[default]\n${bytes.toString('latin1')}`);
  });

  it('handles a 10 MB line, an unterminated 1 MB header and 100 000 indented lines quickly', () => {
    const huge = `[default]\nx = ${'a'.repeat(10_000_000)}\n`;
    expect(timed(() => expect(outcome(huge)).toBe('ok'))).toBeLessThan(HANG_GUARD_MS);
    const header = `[profile ${'b'.repeat(1_000_000)}`;
    expect(timed(() => expect(outcome(header)).toBe('error'))).toBeLessThan(HANG_GUARD_MS);
    const bracketsOnly = `[${'['.repeat(1_000_000)}`;
    expect(timed(() => expect(outcome(bracketsOnly)).toBe('error'))).toBeLessThan(HANG_GUARD_MS);
    const deep = `[default]\ns3 =\n${Array.from({ length: 100_000 }, (_, i) => `${' '.repeat(1 + (i % 50))}k${i} = v`).join('\n')}`;
    expect(timed(() => expect(outcome(deep)).toBe('ok'))).toBeLessThan(HANG_GUARD_MS);
    const spaces = `[default]\nx = ${' '.repeat(1_000_000)}#${' #'.repeat(500_000)}`;
    expect(timed(() => expect(outcome(spaces)).toBe('ok'))).toBeLessThan(HANG_GUARD_MS);
  });

  it('reads 100 000 sections, and reports the first broken line among them', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `[profile p${i}]\nk = ${i}`).join('\n');
    const shared = buildSharedConfig({ config: parseConfigFile(many, { kind: 'config', path: 'c' }) });
    expect(shared.profiles.size).toBe(100_000);
    expect(shared.profiles.get('p99999')!.properties.get('k')!.line).toBe(200_000);
    expect(() => parseConfigFile(`${many}\n[profile broken\n`, { kind: 'config', path: 'c' })).toThrowError(
      expect.objectContaining({ details: { file: 'c', line: 200_001 } }),
    );
  });

  it('handles unterminated sections, CRLF, lone CR and BOM in the middle', () => {
    expect(outcome('[profile a')).toBe('error');
    expect(outcome('[profile a]\r\nx = 1\r\n[profile b\r\n')).toBe('error');
    expect(outcome('[profile a]\rx = 1')).toBe('ok');
    expect(outcome('[profile a]\n\uFEFFx = 1')).toBe('ok');
  });
});

describe('the fast header path agrees with the general one', () => {
  // `[profile name]` and `[name]` take a fast path; `[profile\tname]` and `[ name]` always take the
  // general one, and the standard reads both spellings the same way.
  it('for 3000 random header lines', () => {
    const next = random(99);
    const alphabet = ['a', 'b', '1', ']', '[', ' ', '\t', '#', ';', 'x y', '.', '=', '"'];
    const read = (text: string, kind: 'config' | 'credentials') => {
      try {
        const parsed = parseConfigFile(text, { kind, path: 'f' });
        return parsed.sections.map((section) => `${section.type}:${section.name}:${section.properties.size}`);
      } catch (error: unknown) {
        return `error ${(error as { details: { line: number } }).details.line}`;
      }
    };
    for (let n = 0; n < 3000; n++) {
      let suffix = '';
      const length = 1 + Math.floor(next() * 8);
      for (let i = 0; i < length; i++) suffix += alphabet[Math.floor(next() * alphabet.length)];
      const body = `${suffix}\nk = v\n`;
      expect(read(`[profile ${body}`, 'config')).toEqual(read(`[profile\t${body}`, 'config'));
      expect(read(`[${body}`, 'credentials')).toEqual(read(`[ ${body}`, 'credentials'));
    }
  });
});

describe('10 000 profiles', () => {
  // Speed and linear scaling are measured by `npm run bench` (bench/RESULTS.md), not asserted here:
  // timings on a shared machine make flaky tests. This checks the large file is read right.
  it('parses every one of 10 000 profiles (about 1.1 MB), in order, with its values', () => {
    const text = profilesText(10_000);
    expect(text.length).toBeGreaterThan(1_000_000);
    const shared = buildSharedConfig({ config: parseConfigFile(text, { kind: 'config', path: 'c' }) });
    const names = [...shared.profiles.keys()];
    expect(names).toHaveLength(10_000);
    expect(names[0]).toBe('p0');
    expect(names.at(-1)).toBe('p9999');
    const last = shared.profiles.get('p9999')!;
    expect(last.properties.get('role_arn')?.value).toBe('arn:aws:iam::123456789012:role/deploy-9999');
    expect(last.properties.get('role_session_name')?.line).toBe(5 * 9999 + 5);
  });
});
