import { editDistance } from '../select/suggest.js';

/**
 * Setting names the AWS CLI and SDKs read in a profile (botocore's config variables and the
 * cross-SDK standard). Only used to spot a near miss: a name outside this list is not an error
 * (other tools keep their own settings in these files), but one that is a typo away from a real
 * setting almost certainly meant it.
 */
export const KNOWN_SETTINGS: ReadonlySet<string> = new Set([
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
  'aws_account_id',
  'aws_credential_expiration',
  'region',
  'output',
  'role_arn',
  'source_profile',
  'credential_source',
  'external_id',
  'mfa_serial',
  'role_session_name',
  'duration_seconds',
  'web_identity_token_file',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'sso_role_name',
  'sso_registration_scopes',
  'endpoint_url',
  'ignore_configure_endpoint_urls',
  'services',
  'use_fips_endpoint',
  'use_dualstack_endpoint',
  'sts_regional_endpoints',
  'ca_bundle',
  'max_attempts',
  'retry_mode',
  'parameter_validation',
  'tcp_keepalive',
  'defaults_mode',
  'account_id_endpoint_mode',
  'ec2_metadata_service_endpoint',
  'ec2_metadata_service_endpoint_mode',
  'ec2_metadata_v1_disabled',
  'metadata_service_timeout',
  'metadata_service_num_attempts',
  'cli_pager',
  'cli_timestamp_format',
  'cli_follow_urlparam',
  'cli_binary_format',
  'cli_auto_prompt',
  'cli_history',
  'api_versions',
  'request_checksum_calculation',
  'response_checksum_validation',
  'disable_request_compression',
  'request_min_compression_size_bytes',
  'sigv4a_signing_region_set',
  'auth_scheme_preference',
  's3',
]);

/**
 * The known setting a name was probably meant to be (`aws_acess_key_id` → `aws_access_key_id`,
 * `Region` → `region`), or undefined for a known name or one that is not close to any.
 */
export function nearSetting(name: string): string | undefined {
  if (KNOWN_SETTINGS.has(name)) return undefined;
  const lower = name.toLowerCase().replaceAll('-', '_');
  if (KNOWN_SETTINGS.has(lower)) return lower;
  // Two edits for a long name, one for a short one: `regin` is region, `output` is not `outpost`.
  const limit = lower.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const known of KNOWN_SETTINGS) {
    const distance = editDistance(lower, known, limit);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}
