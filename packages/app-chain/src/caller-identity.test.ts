import * as crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseCallerIdentity, parseStsError, signRequest } from './caller-identity.js';

const OK = (inner: string) =>
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>${inner}</GetCallerIdentityResult>\n  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
const FIELDS =
  '<Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>AIDAX</UserId><Account>123456789012</Account>';

describe('parseCallerIdentity', () => {
  it('reads the three fields in any order, entities decoded', () => {
    expect(
      parseCallerIdentity(
        OK(
          '<Account>123456789012</Account>\n<UserId>AROAX:s&amp;n</UserId><Arn>arn:aws:sts::123456789012:assumed-role/r/s&amp;n</Arn>',
        ),
      ),
    ).toEqual({
      Account: '123456789012',
      Arn: 'arn:aws:sts::123456789012:assumed-role/r/s&n',
      UserId: 'AROAX:s&n',
    });
  });

  it.each([
    ['truncated (the loopback malformed fault)', OK(FIELDS).slice(0, 120)],
    ['cut after the result', OK(FIELDS).replace(/<\/GetCallerIdentityResponse>\n$/, '')],
    ['a repeated Arn', OK(`${FIELDS}<Arn>arn:aws:iam::123456789012:root</Arn>`)],
    ['a nested element instead of text', OK(FIELDS.replace('user/a', 'user/<b>a</b>'))],
    ['no Account', OK(FIELDS.replace('<Account>123456789012</Account>', ''))],
    ['an account that is not 12 digits', OK(FIELDS.replaceAll('123456789012', '1234'))],
    ['an ARN that is not an ARN', OK(FIELDS.replace('arn:aws:iam::123456789012:user/a', 'root'))],
    [
      'fields outside the result',
      OK('').replace('</GetCallerIdentityResult>', `</GetCallerIdentityResult>${FIELDS}`),
    ],
    [
      'two results',
      OK(FIELDS).replace(
        '<ResponseMetadata>',
        `<GetCallerIdentityResult>${FIELDS}</GetCallerIdentityResult><ResponseMetadata>`,
      ),
    ],
    ['an HTML proxy page', '<html><body>Proxy error</body></html>'],
    ['JSON', '{"Arn":"arn:aws:iam::123456789012:user/a"}'],
    ['empty', ''],
  ])('refuses %s', (_, body) => {
    expect(parseCallerIdentity(body)).toBeUndefined();
  });

  it('stays linear on hostile input (no backtracking)', () => {
    const hostile = `${'<Arn>'.repeat(200_000)}${'&#x'.repeat(200_000)}</GetCallerIdentityResponse>`;
    const started = performance.now();
    expect(parseCallerIdentity(hostile)).toBeUndefined();
    expect(parseStsError(`<Error>${'<Code>'.repeat(200_000)}`)).toBeUndefined();
    // A few ms normally; backtracking on 200 000 repeats would take minutes. Only a hang guard.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('parseStsError', () => {
  it('decodes the message and drops control characters', () => {
    expect(
      parseStsError(
        '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: a&amp;b &lt;x&gt; &quot;q&quot; &apos;s&#39; &#x41;&#27;[2J</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      ),
    ).toEqual({ code: 'AccessDenied', message: `User: a&b <x> "q" 's' A [2J` });
  });

  it('refuses a body without a usable code', () => {
    expect(
      parseStsError('<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>'),
    ).toBeUndefined();
    expect(parseStsError('<Error><Code>not a code!</Code></Error>')).toBeUndefined();
    expect(parseStsError('Service Unavailable')).toBeUndefined();
  });
});

// The reference implementation is the oracle: same request, same date, same headers and signature.
describe('signRequest', () => {
  const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  it.each([
    ['https://sts.us-east-1.amazonaws.com', 'us-east-1', undefined],
    ['https://sts.cn-north-1.amazonaws.com.cn', 'cn-north-1', 'IQoJb3JpZ2luX2VjE//session+token/=='],
    ['http://127.0.0.1:4566', 'eu-west-3', undefined],
    ['http://[::1]:4566/sts/', 'us-gov-west-1', 'token'],
    ['http://localhost:8080/a%20b/./c/../d', 'ap-south-1', undefined],
    ["http://localhost/it's(*)!~/", 'us-east-1', undefined],
  ])('matches @smithy/signature-v4 for %s (%s)', async (endpoint, region, sessionToken) => {
    const url = new URL(endpoint);
    const date = new Date('2026-11-27T06:05:09.123Z');
    const credentials = { ...keys, ...(sessionToken && { sessionToken }) };
    const ours = signRequest(crypto, credentials, url, region, date);
    const reference = await new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 }).sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        path: url.pathname,
        query: {},
        headers: {
          host: url.host,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': '43',
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
      { signingDate: date },
    );
    expect(ours).toEqual(reference.headers);
    expect(ours.authorization).toContain(`/20261127/${region}/sts/aws4_request, SignedHeaders=`);
  });
});

// `credkit app whoami` start-up depends on this: verification must not reach the SDK's STS client.
describe('what verifyAppIdentity loads', () => {
  // Workspace packages are compiled in (to follow their imports); every other package stays an
  // import, so a reachable `import('@aws-sdk/client-sts')` shows up in the output.
  const external: Plugin = {
    name: 'external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) =>
        a.path.startsWith('@credkit/') ? undefined : { path: a.path, external: true },
      );
    },
  };
  async function importsOf(contents: string) {
    const result = await build({
      stdin: { contents, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      conditions: ['source'],
      write: false,
      logLevel: 'silent',
      plugins: [external],
    });
    const text = result.outputFiles[0]?.text ?? '';
    const found = (re: RegExp) => [...text.matchAll(re)].map((m) => m[1]);
    return {
      static: found(/\bfrom\s*["']([^"']+)["']/g),
      lazy: found(/\bimport\s*\(\s*["']([^"']+)["']/g),
    };
  }

  it('no package at all, and Node built-ins only lazily', async () => {
    const imports = await importsOf("export { verifyAppIdentity } from './verify.ts';");
    expect(imports.static).toEqual([]);
    expect(new Set(imports.lazy)).toEqual(
      new Set(['node:timers/promises', 'node:crypto', 'node:https', 'node:http']),
    );
  });

  it('the check sees client-sts where it is reachable', async () => {
    const imports = await importsOf("export { createStsClient } from '@credkit/env-selector/providers';");
    expect(imports.lazy).toContain('@aws-sdk/client-sts');
  });
});
