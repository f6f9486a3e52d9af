/**
 * Region names a user can pick from: every commercial, China and GovCloud region (mid 2026, as in
 * the AWS SDK's partition data). A name that is not listed is still accepted when it is well formed,
 * so a region launched after this list keeps working.
 */
export const KNOWN_REGIONS: readonly { name: string; description: string }[] = [
  { name: 'us-east-1', description: 'US East (N. Virginia)' },
  { name: 'us-east-2', description: 'US East (Ohio)' },
  { name: 'us-west-1', description: 'US West (N. California)' },
  { name: 'us-west-2', description: 'US West (Oregon)' },
  { name: 'af-south-1', description: 'Africa (Cape Town)' },
  { name: 'ap-east-1', description: 'Asia Pacific (Hong Kong)' },
  { name: 'ap-east-2', description: 'Asia Pacific (Taipei)' },
  { name: 'ap-northeast-1', description: 'Asia Pacific (Tokyo)' },
  { name: 'ap-northeast-2', description: 'Asia Pacific (Seoul)' },
  { name: 'ap-northeast-3', description: 'Asia Pacific (Osaka)' },
  { name: 'ap-south-1', description: 'Asia Pacific (Mumbai)' },
  { name: 'ap-south-2', description: 'Asia Pacific (Hyderabad)' },
  { name: 'ap-southeast-1', description: 'Asia Pacific (Singapore)' },
  { name: 'ap-southeast-2', description: 'Asia Pacific (Sydney)' },
  { name: 'ap-southeast-3', description: 'Asia Pacific (Jakarta)' },
  { name: 'ap-southeast-4', description: 'Asia Pacific (Melbourne)' },
  { name: 'ap-southeast-5', description: 'Asia Pacific (Malaysia)' },
  { name: 'ap-southeast-6', description: 'Asia Pacific (New Zealand)' },
  { name: 'ap-southeast-7', description: 'Asia Pacific (Thailand)' },
  { name: 'ca-central-1', description: 'Canada (Central)' },
  { name: 'ca-west-1', description: 'Canada West (Calgary)' },
  { name: 'eu-central-1', description: 'Europe (Frankfurt)' },
  { name: 'eu-central-2', description: 'Europe (Zurich)' },
  { name: 'eu-north-1', description: 'Europe (Stockholm)' },
  { name: 'eu-south-1', description: 'Europe (Milan)' },
  { name: 'eu-south-2', description: 'Europe (Spain)' },
  { name: 'eu-west-1', description: 'Europe (Ireland)' },
  { name: 'eu-west-2', description: 'Europe (London)' },
  { name: 'eu-west-3', description: 'Europe (Paris)' },
  { name: 'il-central-1', description: 'Israel (Tel Aviv)' },
  { name: 'me-central-1', description: 'Middle East (UAE)' },
  { name: 'me-south-1', description: 'Middle East (Bahrain)' },
  { name: 'me-west-1', description: 'Middle East (Saudi Arabia)' },
  { name: 'mx-central-1', description: 'Mexico (Central)' },
  { name: 'sa-east-1', description: 'South America (Sao Paulo)' },
  { name: 'sa-west-1', description: 'South America (Chile)' },
  { name: 'cn-north-1', description: 'China (Beijing)' },
  { name: 'cn-northwest-1', description: 'China (Ningxia)' },
  { name: 'us-gov-east-1', description: 'AWS GovCloud (US-East)' },
  { name: 'us-gov-west-1', description: 'AWS GovCloud (US-West)' },
];

// Partition shapes of the SDK's partition data (aws, aws-cn, aws-us-gov, iso*, eusc); anchored,
// no nested quantifiers, and the length is capped first, so it cannot backtrack.
const REGION_NAME = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;

/** True for a well-formed AWS region name such as `eu-west-3` or `us-gov-west-1`. */
export function isValidRegionName(name: string): boolean {
  return name.length <= 32 && REGION_NAME.test(name);
}
