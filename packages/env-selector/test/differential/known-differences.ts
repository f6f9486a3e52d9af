/**
 * Where credkit deliberately reads a file differently from the AWS CLI v2 (2.9.19). Each entry is
 * reproduced by known-differences.test.ts, so the list cannot go stale; the differential suite
 * accepts a disagreement only when one of these explains it.
 */
import type { ProfilePlan } from '../../src/profile-provider/plan.js';
import type { GeneratedFile } from './generate.js';

export interface Disagreement {
  file: string;
  seed: number;
  what: 'list' | 'kind' | 'credentials';
  profile?: string;
  template?: string | undefined;
  cli: unknown;
  credkit: unknown;
  file_?: GeneratedFile;
}

export interface KnownDifference {
  id: string;
  why: string;
  matches(d: Disagreement): boolean;
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'duplicate-section',
    why: 'A section header written twice in one file: the AWS CLI v2 refuses the whole file ("Unable to parse config file", Python configparser strict mode); credkit merges the two sections as the cross-SDK shared-config standard says, and lists a diagnostic.',
    matches: (d) => d.what === 'list' && d.file_?.duplicateSection === true,
  },
];

/** The kinds credkit may list for the credential method botocore's resolver chose. */
export function expectedKinds(method: string, plan: ProfilePlan | { error: string }): string[] {
  const location = 'error' in plan || plan.base.kind !== 'static' ? undefined : plan.base.location;
  switch (method) {
    case 'shared-credentials-file':
      return location?.includes('/credentials:') ? ['static', 'session'] : [];
    case 'config-file':
      return location?.includes('/config:') ? ['static', 'session'] : [];
    case 'custom-process':
      return ['process'];
    case 'sso':
      return ['sso'];
    case 'assume-role':
      return ['assume-role', 'credential-source'];
    case 'assume-role-with-web-identity':
      return ['web-identity'];
    default:
      // 'none' or 'error:<botocore exception>': no credentials from this profile.
      return ['none'];
  }
}

export function classify(all: Disagreement[]): { known: Disagreement[]; unknown: Disagreement[] } {
  const known = all.filter((d) => KNOWN_DIFFERENCES.some((k) => k.matches(d)));
  return { known, unknown: all.filter((d) => !known.includes(d)) };
}
