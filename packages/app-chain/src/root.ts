/**
 * Whether an identity STS returned is an account's root user. A pattern on the raw ARN let
 * `…:root\n`, `…:root `, `:ROOT` and `arn:aws:sts::ACCOUNT:root` through; this parses the ARN
 * (any partition, trimmed, resource compared case-insensitively, iam or sts service) and also
 * treats a UserId equal to the Account as root, which is what STS answers for root keys.
 */
export interface IdentityFields {
  account: string;
  arn: string;
  userId: string;
}

export function isRootIdentity(identity: IdentityFields): boolean {
  const account = identity.account.trim();
  if (account !== '' && identity.userId.trim() === account) return true;
  const parts = identity.arn.trim().split(':');
  // arn:partition:service:region:account:resource (the resource may itself hold colons).
  if (parts.length < 6 || parts[0]?.toLowerCase() !== 'arn') return false;
  const service = parts[2]?.trim().toLowerCase();
  const resource = parts.slice(5).join(':').trim().toLowerCase();
  return (service === 'iam' || service === 'sts') && resource === 'root';
}
