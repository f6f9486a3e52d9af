/**
 * For `await expect(promise).rejects.toSatisfy(leaksNone(secret, token))`: true when none of the
 * secrets appears in anything the error carries: its own properties (stack, message, code...), its
 * JSON form (CredkitError's toJSON adds hint and details), message and hint. Undefined secrets are
 * ignored.
 */
export function leaksNone(...secrets: readonly (string | undefined)[]): (error: unknown) => boolean {
  return (error: unknown) => {
    const e = (error ?? {}) as { message?: unknown; hint?: unknown };
    const text = [
      json(
        error,
        typeof error === 'object' && error !== null ? Object.getOwnPropertyNames(error) : undefined,
      ),
      json(error),
      String(e.message ?? ''),
      String(e.hint ?? ''),
    ].join('\n');
    return !secrets.some((secret) => secret !== undefined && secret !== '' && text.includes(secret));
  };
}

function json(value: unknown, keys?: string[]): string {
  try {
    return JSON.stringify(value, keys) ?? '';
  } catch {
    // A circular SDK error: its own properties (the first form) still say what it carries.
    return '';
  }
}
