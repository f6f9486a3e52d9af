/**
 * Where the SDK's STSClient sends a request and the region it signs for, without loading its
 * endpoint ruleset. Errors have the SDK's shape (a name, no HTTP metadata) for mapStsError.
 */

function configError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

// The SDK's partition data (@aws-sdk/core util-endpoints), in its lookup order. The regexes are
// anchored with single quantifiers and cannot backtrack.
const PARTITIONS = [
  { id: 'aws', re: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dns: 'amazonaws.com', dual: 'api.aws' },
  { id: 'aws-cn', re: /^cn-\w+-\d+$/, dns: 'amazonaws.com.cn', dual: 'api.amazonwebservices.com.cn' },
  { id: 'aws-eusc', re: /^eusc-(de)-\w+-\d+$/, dns: 'amazonaws.eu', dual: 'api.amazonwebservices.eu' },
  { id: 'aws-iso', re: /^us-iso-\w+-\d+$/, dns: 'c2s.ic.gov', dual: 'api.aws.ic.gov' },
  { id: 'aws-iso-b', re: /^us-isob-\w+-\d+$/, dns: 'sc2s.sgov.gov', dual: 'api.aws.scloud' },
  { id: 'aws-iso-e', re: /^eu-isoe-\w+-\d+$/, dns: 'cloud.adc-e.uk', dual: 'api.cloud-aws.adc-e.uk' },
  { id: 'aws-iso-f', re: /^us-isof-\w+-\d+$/, dns: 'csp.hci.ic.gov', dual: 'api.aws.hci.ic.gov' },
  { id: 'aws-us-gov', re: /^us-gov-\w+-\d+$/, dns: 'amazonaws.com', dual: 'api.aws' },
] as const;

type Partition = (typeof PARTITIONS)[number];

function partitionOf(region: string): Partition {
  // `<partition>-global` pseudo-regions are listed by name in the SDK's data; the rest go by regex.
  const byName = PARTITIONS.find((p) => `${p.id}-global` === region);
  return byName ?? PARTITIONS.find((p) => p.re.test(region)) ?? PARTITIONS[0];
}

const VALID_HOST_LABEL = /^(?!.*-$)(?!-)[a-zA-Z0-9-]{1,63}$/;

function flag(env: Record<string, string | undefined> | undefined, name: string): boolean {
  return env?.[name]?.trim().toLowerCase() === 'true';
}

/**
 * Where the SDK's STSClient would send the request, and the region it would sign for: its endpoint
 * ruleset (custom endpoint, FIPS, dual-stack, aws-global, regional `sts.<region>.<dnsSuffix>`).
 */
export function stsTarget(request: {
  region: string;
  endpoint?: string | undefined;
  env?: Record<string, string | undefined> | undefined;
}): {
  url: URL;
  signingRegion: string;
} {
  const plain =
    !flag(request.env, 'AWS_USE_FIPS_ENDPOINT') && !flag(request.env, 'AWS_USE_DUALSTACK_ENDPOINT');
  if (request.endpoint === undefined && request.region === 'aws-global' && plain) {
    return { url: new URL('https://sts.amazonaws.com'), signingRegion: 'us-east-1' };
  }
  return serviceTarget('sts', request);
}

function checkRegion(region: string): void {
  // Same check and message as the SDK's, which mapStsError turns into PROFILE_INVALID_VALUE.
  if (!VALID_HOST_LABEL.test(region))
    throw new Error(`Region not accepted: region="${region}" is not a valid hostname component.`);
}

/**
 * The same rules for any regional service whose endpoint is `<service>.<region>.<dnsSuffix>`
 * (STS, SSM...): a custom endpoint as given, else FIPS / dual-stack / regional host names.
 */
export function serviceTarget(
  service: string,
  request: {
    region: string;
    endpoint?: string | undefined;
    env?: Record<string, string | undefined> | undefined;
  },
): { url: URL; signingRegion: string } {
  const { region, endpoint, env } = request;
  checkRegion(region);
  const label = service.toUpperCase();
  const fips = flag(env, 'AWS_USE_FIPS_ENDPOINT');
  const dualStack = flag(env, 'AWS_USE_DUALSTACK_ENDPOINT');
  if (endpoint !== undefined) {
    if (fips || dualStack) {
      throw configError(
        'EndpointError',
        `Invalid Configuration: ${fips ? 'FIPS' : 'Dualstack'} and custom endpoint are not supported`,
      );
    }
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw configError('InvalidEndpoint', `The ${label} endpoint is not a URL.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw configError('InvalidEndpoint', `The ${label} endpoint is not an http(s) URL.`);
    return { url, signingRegion: region };
  }
  const p = partitionOf(region);
  let host: string;
  if (fips && dualStack) host = `${service}-fips.${region}.${p.dual}`;
  else if (fips)
    host =
      p.id === 'aws-us-gov' ? `${service}.${region}.amazonaws.com` : `${service}-fips.${region}.${p.dns}`;
  else if (dualStack) host = `${service}.${region}.${p.dual}`;
  else host = `${service}.${region}.${p.dns}`;
  return { url: new URL(`https://${host}`), signingRegion: region };
}

/** A section of the shared config as the endpoint settings need it (name → value, sub-properties). */
interface EndpointConfigSection {
  properties: ReadonlyMap<string, { value: string; subProperties?: ReadonlyMap<string, { value: string }> }>;
}

/**
 * The SDK's configured-endpoint settings for one service, in their documented order:
 * `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section (`<service> =` then an indented
 * `endpoint_url =`), `AWS_ENDPOINT_URL`, the profile's own `endpoint_url`. All ignored when
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's `ignore_configured_endpoint_urls` is true.
 */
export function configuredEndpoint(
  service: string,
  env: Record<string, string | undefined>,
  config?: {
    profile: EndpointConfigSection | undefined;
    services: ReadonlyMap<string, EndpointConfigSection>;
  },
): string | undefined {
  const profile = config?.profile;
  if (
    flag(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') ||
    profile?.properties.get('ignore_configured_endpoint_urls')?.value.trim().toLowerCase() === 'true'
  )
    return undefined;
  const fromEnv = env[`AWS_ENDPOINT_URL_${service.toUpperCase().replace(/[ -]/g, '_')}`]?.trim();
  if (fromEnv) return fromEnv;
  const servicesName = profile?.properties.get('services')?.value.trim();
  const section = servicesName ? config?.services.get(servicesName) : undefined;
  const fromServices = section?.properties
    .get(service.toLowerCase().replace(/ /g, '_'))
    ?.subProperties?.get('endpoint_url')
    ?.value.trim();
  if (fromServices) return fromServices;
  const global = env.AWS_ENDPOINT_URL?.trim();
  if (global) return global;
  return profile?.properties.get('endpoint_url')?.value.trim() || undefined;
}
