import { createHash } from 'node:crypto';
import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAwsHome, dedent, tempAwsHomes } from './index.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('createAwsHome', () => {
  it('writes config and credentials (dedented, mode 0600) and returns the env pointing at them', async () => {
    const home = await createAwsHome({
      config: `
        [profile a]
        region = eu-west-1
      `,
      credentials: `
        [a]
        aws_access_key_id = AKIAEXAMPLE
          aws_secret_access_key = indented-on-purpose
      `,
    });
    try {
      expect(home.env).toEqual({
        HOME: home.dir,
        AWS_CONFIG_FILE: join(home.dir, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home.dir, '.aws', 'credentials'),
      });
      expect(await readFile(home.configFile, 'utf8')).toBe('[profile a]\nregion = eu-west-1\n');
      expect(await readFile(home.credentialsFile, 'utf8')).toBe(
        '[a]\naws_access_key_id = AKIAEXAMPLE\n  aws_secret_access_key = indented-on-purpose\n',
      );
      expect((await stat(home.configFile)).mode & 0o777).toBe(0o600);
      expect((await stat(home.credentialsFile)).mode & 0o777).toBe(0o600);
    } finally {
      await home.cleanup();
    }
    await expect(access(home.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves files out when not described, so "missing file" cases can be tested', async () => {
    const home = await createAwsHome();
    try {
      await expect(access(home.configFile)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(access(home.credentialsFile)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(home.webIdentityTokenFile).toBeUndefined();
    } finally {
      await home.cleanup();
    }
  });

  it('names SSO cache files the way the SDK looks them up, and writes the web identity token', async () => {
    const expiresAt = new Date('2031-05-01T10:00:00Z');
    const home = await createAwsHome({
      ssoCache: [
        {
          startUrl: 'https://x.awsapps.com/start',
          accessToken: 'legacy-token',
          expiresAt,
          region: 'eu-west-1',
        },
        { sessionName: 'corp', accessToken: 'session-token', extra: { refreshToken: 'r' } },
      ],
      webIdentityToken: 'header.payload.sig',
    });
    try {
      const legacy = join(home.dir, '.aws', 'sso', 'cache', `${sha1('https://x.awsapps.com/start')}.json`);
      expect(home.ssoCacheFile('https://x.awsapps.com/start')).toBe(legacy);
      expect(JSON.parse(await readFile(legacy, 'utf8'))).toEqual({
        startUrl: 'https://x.awsapps.com/start',
        region: 'eu-west-1',
        accessToken: 'legacy-token',
        expiresAt: '2031-05-01T10:00:00.000Z',
      });
      const session = JSON.parse(await readFile(home.ssoCacheFile('corp'), 'utf8'));
      expect(session).toMatchObject({ accessToken: 'session-token', refreshToken: 'r', region: 'us-east-1' });
      expect((await stat(legacy)).mode & 0o777).toBe(0o600);
      expect(await readFile(home.webIdentityTokenFile ?? '', 'utf8')).toBe('header.payload.sig');
    } finally {
      await home.cleanup();
    }
  });
});

describe('dedent', () => {
  it('removes the shared indentation and the leading newline, keeping relative indentation', () => {
    expect(dedent('\n    a\n      b\n\n    c\n  ')).toBe('a\n  b\n\nc\n');
  });
});

describe('createAwsHome layouts and tempAwsHomes', () => {
  it("awsDir '' puts the files in the home itself; verbatim and fileMode write them as given", async () => {
    const home = await createAwsHome({
      awsDir: '',
      verbatim: true,
      fileMode: 0o644,
      config: '  [profile a]\nregion = x',
      credentials: '',
    });
    try {
      expect(home.configFile).toBe(join(home.dir, 'config'));
      expect(home.env.AWS_SHARED_CREDENTIALS_FILE).toBe(join(home.dir, 'credentials'));
      expect(await readFile(home.configFile, 'utf8')).toBe('  [profile a]\nregion = x');
      expect(await readFile(home.credentialsFile, 'utf8')).toBe('');
      expect((await stat(home.configFile)).mode & 0o777).toBe(0o644);
    } finally {
      await home.cleanup();
    }
  });

  it('removes every home it made when the hook it registered runs, defaults under each call', async () => {
    const hooks: (() => Promise<void>)[] = [];
    const home = tempAwsHomes((cleanup) => hooks.push(cleanup), { awsDir: '' });
    const a = await home({ config: '[default]\n' });
    const b = await home({ awsDir: '.aws', credentials: '[default]\n' });
    expect(a.configFile).toBe(join(a.dir, 'config'));
    expect(b.credentialsFile).toBe(join(b.dir, '.aws', 'credentials'));
    expect(hooks).toHaveLength(1);
    await hooks[0]?.();
    for (const h of [a, b]) await expect(access(h.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
