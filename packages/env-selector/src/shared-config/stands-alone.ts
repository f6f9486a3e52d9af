import type { ConfigSection } from './types.js';

/**
 * Properties that make a profile reach beyond its own section (another profile, an sso-session, a
 * process, a token file, the instance): with none of them, a profile resolves from its own keys.
 */
const REACHING = [
  'role_arn',
  'source_profile',
  'credential_source',
  'credential_process',
  'web_identity_token_file',
];

/**
 * True when resolving this profile reads nothing but its own section (static keys or a session),
 * so a config loaded with only this profile built (`materialize`) resolves it exactly as a full
 * load does. Any property that could lead elsewhere, even an empty one, answers false.
 */
export function standsAlone(section: ConfigSection): boolean {
  for (const name of section.properties.keys()) {
    if (REACHING.includes(name) || name.startsWith('sso_')) return false;
  }
  return true;
}
