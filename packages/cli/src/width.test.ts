import { describe, expect, it } from 'vitest';
import { createStyle } from './output.js';
import { stripMarks, terminalText } from './terminal.js';
import {
  displayWidth,
  outputColumns,
  wrapCommand,
  wrapParagraphs,
  wrapTable,
  wrapText,
  wrapUsage,
  wrapWords,
} from './width.js';

/** What the terminal shows: the writer's escaping applied, no color. */
const shown = (line: string) => terminalText(line, { color: false, maskSecrets: false });
const fits = (lines: string[], width: number) => {
  for (const line of lines) expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
  for (const line of lines) expect(shown(line).length, JSON.stringify(line)).toBeLessThanOrEqual(width);
};
const words = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');

describe('outputColumns', () => {
  it('$COLUMNS when set, else the terminal, else 80', () => {
    expect(outputColumns({ COLUMNS: '60' }, 120)).toBe(60);
    expect(outputColumns({}, 120)).toBe(120);
    expect(outputColumns({})).toBe(80);
    expect(outputColumns({ COLUMNS: ' 100 ' })).toBe(100);
  });

  it('ignores a COLUMNS that is not a positive number; never below 20', () => {
    expect(outputColumns({ COLUMNS: 'wide' }, 90)).toBe(90);
    expect(outputColumns({ COLUMNS: '0' })).toBe(80);
    expect(outputColumns({ COLUMNS: '-5' })).toBe(80);
    expect(outputColumns({ COLUMNS: '' })).toBe(80);
    expect(outputColumns({ COLUMNS: '5' })).toBe(20);
    expect(outputColumns({}, 0)).toBe(80);
  });
});

describe('displayWidth', () => {
  it('style marks take no column, control characters their escape, wide characters 2', () => {
    const style = createStyle(true);
    expect(displayWidth(style.bold('abc'))).toBe(3);
    expect(displayWidth('a\u001bb')).toBe(shown('a\u001bb').length);
    expect(displayWidth('日本')).toBe(4);
  });
});

describe('wrapWords / wrapText', () => {
  const prose =
    'The environment credentials come from the flags or, on a terminal, from the question "Which credentials would you like to use to create NAME?".';

  it('fits every line and keeps every word, in order', () => {
    for (const width of [20, 33, 60, 80]) {
      const lines = wrapText(prose, width, 2);
      fits(lines, width);
      expect(words(lines.join(' '))).toBe(words(prose));
      for (const line of lines.slice(1)) expect(line.startsWith('  ')).toBe(true);
    }
  });

  it('breaks a long path after a slash and an ARN after a colon, not mid-name', () => {
    const path = '/home/someone/projects/deployment/a-rather-long-directory-name/.aws/config';
    const lines = wrapWords(`Profile "x" was not found in ${path}.`, 40);
    fits(lines, 40);
    expect(lines.join('')).toContain(path);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/[/ :.-]$|\w$/);
    expect(lines.some((l) => l.endsWith('/'))).toBe(true);
    const arn = 'arn:aws:iam::123456789012:role/organization/deployment/DeployerRoleForProduction';
    const arnLines = wrapWords(arn, 30);
    fits(arnLines, 30);
    expect(arnLines.join('')).toBe(arn);
    expect(arnLines[0]).toMatch(/[:/]$/);
  });

  it('never breaks inside a style mark or an escaped control character', () => {
    const style = createStyle(true);
    const text = `${style.red('failed')} ${'x'.repeat(8)}\u001b[31m${'y'.repeat(30)} ${style.bold('done')}`;
    for (const width of [10, 13, 17, 25]) {
      const lines = wrapWords(text, width);
      fits(lines, width);
      // Escaping line by line gives what escaping the whole gives: no escape was cut in two.
      const squeeze = (t: string) => t.replaceAll(' ', '');
      expect(squeeze(lines.map(shown).join(''))).toBe(squeeze(shown(text)));
      expect(squeeze(stripMarks(lines.join('')))).toBe(squeeze(stripMarks(text)));
    }
  });

  it('keeps leading indentation on the first line', () => {
    expect(wrapText('    indented words here', 20, 6)).toEqual(['    indented words', '      here']);
  });
});

describe('wrapTable', () => {
  const rows = [
    ['  --name NAME', 'Environment name, e.g. prod-iad. (required)'],
    [
      '  --aws-secret-access-key KEY',
      'Secret access key (visible to other processes: prefer --credentials-stdin).',
    ],
  ];

  it('wraps the last column under itself', () => {
    const lines = wrapTable(rows, 60);
    fits(lines, 60);
    const column = lines[0]!.indexOf('Environment');
    const secret = lines.findIndex((l) => l.includes('Secret'));
    expect(lines[secret]!.indexOf('Secret')).toBe(column);
    for (const line of [lines[1]!, lines[secret + 1]!]) expect(line.search(/\S/)).toBe(column);
  });

  it('puts the last column below when too little room is left beside', () => {
    const lines = wrapTable(rows, 40, { minLast: 24 });
    fits(lines, 40);
    expect(lines[0]).toBe('  --name NAME');
    expect(lines[1]).toMatch(/^ {8}Environment name/);
  });
});

describe('wrapCommand', () => {
  it('splits a shell command at spaces outside quotes, keeps a flag with its value, ends lines with \\', () => {
    const command =
      'aws configure export-credentials --profile ops | credkit env init --name test --credentials-stdin --region eu-west-1';
    const lines = wrapCommand(command, 60);
    fits(lines, 60);
    for (const line of lines.slice(0, -1)) expect(line.endsWith(' \\')).toBe(true);
    expect(
      lines
        .join('\n')
        .replace(/ \\\n\s+/g, ' ')
        .trim(),
    ).toBe(command);
    expect(lines.some((l) => /--name \\$/.test(l))).toBe(false);
    const quoted = wrapCommand(
      'credkit profiles --json | jq -r ".[] | select(.kind == \\"sso\\") | .name"',
      50,
    );
    expect(quoted.some((l) => l.includes('".[] | select(.kind == \\"sso\\") | .name"'))).toBe(true);
  });
});

describe('wrapUsage', () => {
  it('breaks between bracket groups, aligned after the command', () => {
    const lines = wrapUsage(
      'Usage: credkit env init',
      '--name NAME [--app APP] [--profile P | --credentials-stdin] [--region R] [--store file|ssm] [--json]',
      60,
    );
    fits(lines, 60);
    expect(lines[0]).toBe('Usage: credkit env init --name NAME [--app APP]');
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {24}\[/);
  });
});

describe('wrapParagraphs', () => {
  it('refills prose, keeps list items hanging and indented lines whole', () => {
    const text = `First line of prose that was
broken by hand.

1. An item that goes on and on and on
   and continues here.
  credential_process = credkit export --profile base`;
    const lines = wrapParagraphs(text, 30);
    fits(lines, 30);
    expect(lines).toEqual([
      'First line of prose that was',
      'broken by hand.',
      '',
      '1. An item that goes on and on',
      '   and on and continues here.',
      '  credential_process = credkit',
      '    export --profile base',
    ]);
  });
});
