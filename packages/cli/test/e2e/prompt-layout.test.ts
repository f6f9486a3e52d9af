import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, type World } from './helpers.js';
import { KEY, type PtySession, spawnPty } from './pty.js';
import { overflows } from './screen.js';

const QUESTION = 'Which credentials would you like to use to create prod-iad?';
const REGION_QUESTION = 'Which region should prod-iad be created in?';

/**
 * 77 profiles as a real team has them: role profiles per service and stage on top of the `test`
 * keys, some with long names, and four broken ones (a typo'd key, a cycle, a missing source).
 */
function teamConfig(): string {
  const services = ['billing', 'catalog', 'checkout', 'identity', 'search', 'shipping', 'analytics'];
  const stages = ['dev', 'qa', 'staging', 'prod', 'prod-eu', 'sandbox', 'perf', 'dr', 'audit', 'ops'];
  const regions = ['us-east-1', 'eu-central-1', 'ap-southeast-2', 'us-gov-west-1'];
  const sections: string[] = [];
  for (const service of services) {
    for (const stage of stages) {
      const index = sections.length;
      sections.push(
        `[profile ${service}-${stage}${index % 9 === 0 ? '-with-a-long-descriptive-suffix' : ''}]\nrole_arn = arn:aws:iam::${ACCOUNTS.test}:role/${service}-${stage}\nsource_profile = test\nregion = ${regions[index % regions.length]}`,
      );
    }
  }
  sections.push(
    `[profile typo-keys]\naws_acess_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    '[profile cyc-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = cyc-b',
    '[profile cyc-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = cyc-a',
    '[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/o\nsource_profile = gone-away',
  );
  return `\n${sections.join('\n\n')}\n`;
}

let world: World;
beforeEach(async () => {
  world = await createWorld({ config: teamConfig() });
});
afterEach(async () => {
  await world.close();
});

/** The screen text drawn since `marker` was last drawn: the latest frame of that prompt. */
function lastFrame(term: PtySession, marker: string): string {
  const text = term.text();
  const at = text.lastIndexOf(marker);
  return at === -1 ? '' : text.slice(at);
}

/** Waits for the latest frame from `marker` on to satisfy `check` (only guards a hang). */
async function waitForFrame(term: PtySession, marker: string, check: (frame: string) => boolean) {
  const started = Date.now();
  while (!check(lastFrame(term, marker))) {
    if (Date.now() - started > 30_000) throw new Error(`No such frame; screen:\n${term.text()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 100));
}

/**
 * What the prompts drew: from the line of the first question to credkit's first message after the
 * prompts (its own status lines are not prompts, and are laid out elsewhere).
 */
function promptOutput(raw: string): string {
  const first = raw.indexOf('Which credentials');
  expect(first).toBeGreaterThan(-1);
  const start = raw.lastIndexOf('\n', first) + 1;
  const end = raw.slice(start).search(/Cancelled at|Environment credentials:|Recorded:/);
  return end === -1 ? raw.slice(start) : raw.slice(start, start + end);
}

function expectFits(term: PtySession, width: number): void {
  const wide = overflows(promptOutput(term.raw()), width);
  expect(wide, wide.map((o) => `${o.column}: ${o.row}`).join('\n')).toEqual([]);
}

describe.each([80, 40])('env init at %i columns', (columns) => {
  it('the picker: broken profiles shown and skipped, typing filters, "frank" finds eu-central-1, nothing wider than the terminal', async () => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad'], world.env, { cols: columns });
    await term.waitFor('type to filter');
    // At 80 columns the question and its help take one line each (they took four before).
    if (columns === 80) {
      expect(term.text()).toContain(`? ${QUESTION}`);
      expect(term.text()).toMatch(
        /\n {2}Used only to create or delete prod-iad; the app keeps its own credentials\.\r?\n/,
      );
    } else expect(term.text()).toMatch(/Which credentials would you like to\s+use to create prod-iad\?/);

    term.write('cyc');
    await waitForFrame(term, 'Which credentials', (f) => f.includes('[profile cyc-b]'));
    // The row shows the reason (cut to fit), and under the list the first one's reason in full.
    expect(lastFrame(term, 'Which credentials')).toMatch(/\[profile cyc-a\] +✗ source_pr/);
    expect(lastFrame(term, 'Which credentials').replace(/\s+/g, ' ')).toContain(
      '[profile cyc-a]: ✗ source_profile forms a cycle cyc-a -> cyc-b -> cyc-a',
    );
    expect(lastFrame(term, 'Which credentials')).not.toContain('❯');
    term.write(KEY.enter); // nothing can be chosen: the prompt stays
    term.write(KEY.escape);
    await waitForFrame(term, 'Which credentials', (f) => f.includes('esc cancel'));
    expect(term.text()).not.toContain('Recorded:');

    await term.type('noregion');
    await waitForFrame(term, 'Which credentials', (f) => f.includes('❯ [profile noregion]'));
    term.write(KEY.enter);
    await waitForFrame(term, 'Which region', (f) => f.includes('type to filter'));
    await term.type('frank');
    await waitForFrame(term, 'Which region', (f) => /❯ eu-central-1 +Europe \(Frankfurt\)/.test(f));
    expect(lastFrame(term, 'Which region')).not.toContain('eu-west-1');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(term.text()).toContain(columns === 80 ? `${REGION_QUESTION} eu-central-1` : 'eu-central-1');
    expect(await world.store()).toMatchObject({
      environments: [
        {
          name: 'prod-iad',
          region: 'eu-central-1',
          account: ACCOUNTS.test,
          credentialSource: 'profile noregion',
        },
      ],
    });
    expectFits(term, columns);
  });

  it('the temporary-credential prompts fit, and Escape with no filter still cancels with 130', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', '--region', 'eu-west-1'], world.env, {
      cols: columns,
    });
    await term.waitFor('type to filter');
    term.write(KEY.enter); // "Enter temporary credentials" is first
    await term.waitFor(/access key id/i);
    await term.type(keys.accessKeyId);
    term.write(KEY.enter);
    await term.waitFor('[input is hidden]');
    await term.type('too-short');
    term.write(KEY.enter);
    await term.waitFor(/> .*secret/i);
    term.write(KEY.escape);
    expect(await term.exit()).toBe(130);
    expect(term.raw()).not.toContain('too-short');
    expectFits(term, columns);
  });
});

it('$COLUMNS wins over the terminal: a 120-column terminal with COLUMNS=40 gets a 40-column picker', async () => {
  const term = spawnPty(
    ['env', 'init', '--name', 'prod-iad'],
    { ...world.env, COLUMNS: '40' },
    { cols: 120 },
  );
  await term.waitFor('type to filter');
  await term.type('prod');
  await waitForFrame(term, 'Which credentials', (f) => f.includes('esc clear filter'));
  term.write(KEY.escape);
  await waitForFrame(term, 'Which credentials', (f) => f.includes('esc cancel'));
  term.write(KEY.escape);
  expect(await term.exit()).toBe(130);
  expectFits(term, 40);
  // It really was laid out for 40 columns, not narrower.
  expect(overflows(promptOutput(term.raw()), 30).length).toBeGreaterThan(0);
});
