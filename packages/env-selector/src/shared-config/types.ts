/** Which of the two shared files a text came from; the standard reads section headers differently. */
export type ConfigFileKind = 'config' | 'credentials';

export interface SourceLocation {
  file: string;
  line: number;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * Something a user should look at, pointing at a file and line (in `file`/`line`; the message does
 * not repeat them, so a caller can show the path its own way). `code` is stable (UPPER_SNAKE);
 * codes starting with `SDK_JS_` mark places where the AWS SDK for JavaScript reads the file
 * differently from the cross-SDK standard that credkit follows.
 */
export interface Diagnostic {
  code: string;
  message: string;
  file: string;
  line: number;
  severity: DiagnosticSeverity;
  /** The profile (or sso-session) concerned, when there is one. */
  profile?: string;
}

export interface ConfigSubProperty {
  value: string;
  line: number;
}

export interface ConfigProperty {
  /** Lower-cased, as the standard compares names. */
  name: string;
  /** Continuation lines are joined with `\n`; empty when the property only has sub-properties. */
  value: string;
  file: string;
  line: number;
  /** Present when the value was empty and indented `name = value` lines followed it. */
  subProperties?: ReadonlyMap<string, ConfigSubProperty>;
}

export type SectionType = 'profile' | 'sso-session' | 'services';

/** One section header occurrence in one file, with the properties written under it. */
export interface ParsedSection {
  type: SectionType;
  name: string;
  file: string;
  line: number;
  /** True for the bare `[default]` header of the config file (the standard prefers `[profile default]`). */
  bareDefault: boolean;
  properties: Map<string, ConfigProperty>;
}

export interface ParsedConfigFile {
  path: string;
  kind: ConfigFileKind;
  /** Sections the standard recognises, in file order, one entry per header (duplicates included). */
  sections: ParsedSection[];
  diagnostics: Diagnostic[];
  /** Present when parsed with `materialize`: what is known of the profile sections left unbuilt. */
  skipped?: SkippedSections;
}

export interface SkippedSections {
  /** Headers of profile sections checked but not built. */
  sections: number;
  /** The first secret among them, for the file permission check. */
  firstSecret?: { name: string; line: number; profile: string };
}

/** A profile, sso-session or services section after both files are merged. */
export interface ConfigSection {
  name: string;
  /** Merged properties: the credentials file wins over the config file, later lines over earlier ones. */
  properties: ReadonlyMap<string, ConfigProperty>;
  /** Every header that contributed, config file first. */
  definedIn: SourceLocation[];
  /**
   * The config file's own properties, kept only when the credentials file also defines the profile
   * (its values hide some of these in `properties`). The AWS CLI reads a key pair and its token
   * from one file's section, never mixing the two, so the profile plan needs both views.
   */
  configFileProperties?: ReadonlyMap<string, ConfigProperty>;
}

export interface ConfigFileInfo {
  path: string;
  /** False when the file does not exist (which is not an error). */
  exists: boolean;
}

export interface SharedConfig {
  configFile: ConfigFileInfo;
  credentialsFile: ConfigFileInfo;
  /** In `aws configure list-profiles` order: config file order, then credentials-only profiles. */
  profiles: ReadonlyMap<string, ConfigSection>;
  ssoSessions: ReadonlyMap<string, ConfigSection>;
  services: ReadonlyMap<string, ConfigSection>;
  /** File-level diagnostics (syntax the standard accepts but a user should fix). */
  diagnostics: Diagnostic[];
}
