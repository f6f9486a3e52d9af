import type { ConfigFileKind, Diagnostic, SectionType } from './types.js';

/**
 * How the AWS SDK for JavaScript (which resolves the credentials later) reads a section header:
 * a faithful copy of the rules of `parseIni`/`getConfigData` in @smithy/core/config, run only on
 * header lines so the parse stays fast. It lets credkit warn where the SDK and the standard differ.
 */
interface SectionView {
  type: SectionType;
  name: string;
}

// The SDK's own expression (prefix, one whitespace, optionally quoted name); anchored and linear.
const SDK_PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SDK_COMMENT = /(^|\s)[;#]/;
const SDK_TYPES: readonly string[] = ['profile', 'sso-session', 'services'];

function sdkView(raw: string, kind: ConfigFileKind): SectionView | null | 'not-a-header' {
  const line = raw.split(SDK_COMMENT)[0]!.trim();
  if (line[0] !== '[' || line[line.length - 1] !== ']') return 'not-a-header';
  const inner = line.slice(1, -1);
  let key = inner;
  const match = SDK_PREFIX_KEY.exec(inner);
  if (match !== null) {
    if (!SDK_TYPES.includes(match[1]!)) return null;
    key = `${match[1]}.${match[3]}`;
  }
  if (kind === 'credentials') return { type: 'profile', name: key };
  if (key === 'default') return { type: 'profile', name: 'default' };
  const dot = key.indexOf('.');
  if (dot === -1 || !SDK_TYPES.includes(key.slice(0, dot))) return null;
  return { type: key.slice(0, dot) as SectionType, name: key.slice(dot + 1) };
}

function describe(view: SectionView): string {
  return view.type === 'profile' ? `profile "${view.name}"` : `${view.type} "${view.name}"`;
}

function reason(raw: string): string {
  const trimmed = raw.trim();
  const close = trimmed.indexOf(']');
  const after = close === -1 ? '' : trimmed.charAt(close + 1);
  if (after === '#' || after === ';')
    return ` because of the comment right after "]" (put a space before "${after}")`;
  if (close !== -1) {
    const inner = trimmed.slice(1, close);
    if (inner !== inner.trim() || /\s\s/.test(inner))
      return ' because of extra whitespace inside the brackets';
    if (inner.includes('"') || inner.includes("'")) return ' because of the quotes';
  }
  return '';
}

export function sdkJsHeaderDiagnostic(
  raw: string,
  kind: ConfigFileKind,
  ours: SectionView | null,
  file: string,
  line: number,
): Diagnostic | undefined {
  const theirs = sdkView(raw, kind);
  const theirsView = theirs === 'not-a-header' ? null : theirs;
  if (ours === null && theirsView === null) return undefined;
  if (
    ours !== null &&
    theirsView !== null &&
    ours.type === theirsView.type &&
    ours.name === theirsView.name
  ) {
    return undefined;
  }
  let message: string;
  if (ours !== null && theirsView === null) {
    const consequence =
      theirs === 'not-a-header'
        ? ', and adds the properties below it to the section before'
        : ', and ignores the properties below it';
    message = `the AWS SDK for JavaScript does not read this header as ${describe(ours)}${reason(raw)}${consequence}`;
  } else if (ours === null) {
    message = `the standard ignores this header, but the AWS SDK for JavaScript reads it as ${describe(theirsView!)}`;
  } else {
    message = `the standard reads this header as ${describe(ours)}, but the AWS SDK for JavaScript reads it as ${describe(theirsView!)}${reason(raw)}`;
  }
  return {
    code: 'SDK_JS_SECTION_HEADER',
    severity: 'warning',
    file,
    line,
    ...(ours?.type === 'profile' ? { profile: ours.name } : {}),
    message,
  };
}
