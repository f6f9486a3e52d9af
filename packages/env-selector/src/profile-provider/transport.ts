/**
 * Credentials (a signed request with a session token, a bearer token, keys coming back) travel over
 * plain HTTP only where nobody else can read them: loopback, and the link-local addresses the
 * standard names for instance metadata and container credentials. Any other http:// endpoint is
 * refused before a connection is made, naming the setting it came from, unless the user opts in
 * with CREDKIT_ALLOW_INSECURE_ENDPOINTS=1 (a lab network, a proxy they trust).
 */
import { CredkitError } from '@credkit/temp-creds/errors';
import type { SharedConfig } from '../shared-config/types.js';

export const ALLOW_INSECURE_ENDPOINTS_ENV = 'CREDKIT_ALLOW_INSECURE_ENDPOINTS';
export const INSECURE_ENDPOINT = 'INSECURE_ENDPOINT';

// IMDS (IPv4, IPv6) and the ECS / EKS Pod Identity container endpoints.
const LINK_LOCAL = new Set([
  '169.254.169.254',
  'fd00:ec2::254',
  '169.254.170.2',
  '169.254.170.23',
  'fd00:ec2::23',
]);

/** True for 127.0.0.0/8, ::1 (and its IPv4-mapped forms), localhost and the standard link-local hosts. */
export function isTrustedPlainHttpHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // URL() normalises IPv4 (decimal, hex and short forms all become dotted quads).
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1] ?? host;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(mapped)) return true;
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)) return true;
  return LINK_LOCAL.has(host) || LINK_LOCAL.has(mapped);
}

function optedIn(env: Record<string, string | undefined>): boolean {
  const v = (env[ALLOW_INSECURE_ENDPOINTS_ENV] ?? '').trim().toLowerCase();
  return v === '1' || v === 'true';
}

/**
 * Throws INSECURE_ENDPOINT when `endpoint` is plain HTTP to a host that is not trusted (see above)
 * and the user did not opt in. `setting` names where it came from (AWS_ENDPOINT_URL_STS...).
 * Values that are not URLs are left to the caller's own checks.
 */
export function assertSecureEndpoint(
  endpoint: string | URL | undefined,
  setting: string,
  env: Record<string, string | undefined>,
): void {
  if (endpoint === undefined || endpoint === '') return;
  let url: URL;
  try {
    url = typeof endpoint === 'string' ? new URL(endpoint) : endpoint;
  } catch {
    return;
  }
  if (url.protocol !== 'http:' || isTrustedPlainHttpHost(url.hostname) || optedIn(env)) return;
  throw new CredkitError(
    INSECURE_ENDPOINT,
    `${setting} points at http://${url.host}: credkit does not send credentials over plain HTTP to a host that is not loopback.`,
    {
      hint: `Use https:// in ${setting}. If this network is trusted, set ${ALLOW_INSECURE_ENDPOINTS_ENV}=1 to allow it.`,
      details: { setting, host: url.host },
    },
  );
}

/** Which setting an endpoint came from: the explicit option, the service variable, or AWS_ENDPOINT_URL. */
export function endpointSetting(
  explicit: string | undefined,
  env: Record<string, string | undefined>,
  serviceVariable: string,
): string {
  if (explicit !== undefined) return 'the endpoint option';
  return env[serviceVariable] !== undefined ? serviceVariable : 'AWS_ENDPOINT_URL';
}

/**
 * The AWS SDK's clients also take an endpoint from the shared config when none is given: the
 * `endpoint_url` of the profile they read (AWS_PROFILE, else default), or `<service>.endpoint_url` in
 * the `[services NAME]` section that profile names. Checked before any STS or SSO call.
 */
export function assertConfiguredEndpointsSecure(
  config: SharedConfig,
  env: Record<string, string | undefined>,
): void {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').trim().toLowerCase() === 'true') return;
  const name = env.AWS_PROFILE || 'default';
  const profile = config.profiles.get(name);
  if (profile === undefined) return;
  const url = profile.properties.get('endpoint_url');
  if (url !== undefined) {
    assertSecureEndpoint(url.value, `endpoint_url of profile "${name}" (${url.file}:${url.line})`, env);
  }
  const servicesName = profile.properties.get('services')?.value;
  const services = servicesName ? config.services.get(servicesName) : undefined;
  for (const service of ['sts', 'sso', 'sso_oidc']) {
    const sub = services?.properties.get(service)?.subProperties?.get('endpoint_url');
    if (sub !== undefined) {
      assertSecureEndpoint(sub.value, `${service}.endpoint_url of [services ${servicesName}]`, env);
    }
  }
}
