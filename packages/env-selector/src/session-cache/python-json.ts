/**
 * Python's `json.dumps(value, sort_keys=True)` byte for byte, for the values the AWS CLI hashes into
 * its cache keys (strings, integers, nested objects). `compact` selects `separators=(',', ':')`
 * (botocore's SSO key); the default is Python's `', '` and `': '` (botocore's assume-role key).
 * `ensure_ascii` is Python's default: everything outside printable ASCII becomes `\uXXXX`.
 */
export function pythonJsonDumps(value: unknown, options: { compact?: boolean } = {}): string {
  const [item, key] = options.compact ? [',', ':'] : [', ', ': '];
  const dump = (v: unknown): string => {
    if (typeof v === 'string') return pythonString(v);
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new TypeError('pythonJsonDumps: only integers are supported');
      return String(v);
    }
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v === null) return 'null';
    if (Array.isArray(v)) return `[${v.map(dump).join(item)}]`;
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        // Python sorts str keys by code point; for the BMP that is JavaScript's code-unit order.
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, x]) => `${pythonString(k)}${key}${dump(x)}`).join(item)}}`;
    }
    throw new TypeError(`pythonJsonDumps: cannot serialize ${typeof v}`);
  };
  return dump(value);
}

/** JSON.stringify escapes quotes, backslashes and controls as Python does; Python also escapes DEL and non-ASCII. */
function pythonString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
