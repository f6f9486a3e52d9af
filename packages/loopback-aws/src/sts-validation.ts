/** An STS error answer: thrown inside an operation, turned into an ErrorResponse by handleSts. */
export class StsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** Collects constraint violations and reports them in the wording STS uses. */
export class Validation {
  private readonly errors: string[] = [];

  required(name: string, value: string | undefined): void {
    if (value === undefined)
      this.errors.push(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }

  length(name: string, value: string | undefined, min: number, max: number): void {
    if (value === undefined) return;
    const shown = `Value '${value}' at '${name}' failed to satisfy constraint: Member must have length`;
    if (value.length < min) this.errors.push(`${shown} greater than or equal to ${min}`);
    else if (value.length > max) this.errors.push(`${shown} less than or equal to ${max}`);
  }

  pattern(name: string, value: string | undefined, re: RegExp, source: string): void {
    if (value !== undefined && !re.test(value)) {
      this.errors.push(
        `Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${source}`,
      );
    }
  }

  range(name: string, raw: string | undefined, min: number, max: number): number | undefined {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value)) {
      throw new StsFault(
        400,
        'ValidationError',
        `Value '${raw}' for parameter ${name} is invalid. Must be an integer.`,
      );
    }
    if (value < min)
      this.errors.push(
        `Value '${raw}' at '${name}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
      );
    else if (value > max)
      this.errors.push(
        `Value '${raw}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    return value;
  }

  check(): void {
    const n = this.errors.length;
    if (n > 0) {
      throw new StsFault(
        400,
        'ValidationError',
        `${n} validation error${n > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`,
      );
    }
  }
}

const SESSION_NAME_RE = /^[\w+=,.@-]*$/;

export function validateRoleParams(params: Record<string, string>, v: Validation): number | undefined {
  v.required('roleArn', params.RoleArn);
  v.length('roleArn', params.RoleArn, 20, 2048);
  v.required('roleSessionName', params.RoleSessionName);
  v.length('roleSessionName', params.RoleSessionName, 2, 64);
  v.pattern('roleSessionName', params.RoleSessionName, SESSION_NAME_RE, '[\\w+=,.@-]*');
  return v.range('durationSeconds', params.DurationSeconds, 900, 43200);
}

const ROLE_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** After the length checks pass, STS rejects anything that is not a role ARN with this wording. */
export function checkRoleArn(roleArn: string): void {
  if (!ROLE_ARN_RE.test(roleArn)) throw new StsFault(400, 'ValidationError', 'Request ARN is invalid');
}
