import type {
  ConfigFileInfo,
  ConfigProperty,
  ConfigSection,
  Diagnostic,
  ParsedConfigFile,
  ParsedSection,
  SharedConfig,
} from './types.js';

interface MutableSection {
  name: string;
  properties: Map<string, ConfigProperty>;
  definedIn: { file: string; line: number }[];
  configFileProperties?: ReadonlyMap<string, ConfigProperty>;
}

export interface BuildSharedConfigOptions {
  config?: ParsedConfigFile;
  credentials?: ParsedConfigFile;
  configFile?: ConfigFileInfo;
  credentialsFile?: ConfigFileInfo;
}

/**
 * Merges a parsed config file and credentials file the way the standard does: profiles keep the
 * config file's order, profiles found only in the credentials file follow, and a property set in
 * both files takes the credentials file's value.
 */
export function buildSharedConfig(options: BuildSharedConfigOptions): SharedConfig {
  const { config, credentials } = options;
  const profiles = new Map<string, MutableSection>();
  const ssoSessions = new Map<string, MutableSection>();
  const services = new Map<string, MutableSection>();
  const diagnostics: Diagnostic[] = [...(config?.diagnostics ?? []), ...(credentials?.diagnostics ?? [])];

  if (config !== undefined) {
    const prefixedDefault = config.sections.find(
      (s) => s.type === 'profile' && s.name === 'default' && !s.bareDefault,
    );
    for (const section of config.sections) {
      const target =
        section.type === 'profile' ? profiles : section.type === 'sso-session' ? ssoSessions : services;
      if (section.bareDefault && prefixedDefault !== undefined) {
        // Reserve the position so the listing order stays the CLI's, but take no properties.
        entry(target, 'default');
        diagnostics.push({
          code: 'DEFAULT_SHADOWED',
          severity: 'warning',
          file: section.file,
          line: section.line,
          profile: 'default',
          message: `[default] is ignored because [profile default] (line ${prefixedDefault.line}) exists; keep only one of them`,
        });
        continue;
      }
      const merged = target.get(section.name);
      if (merged === undefined) {
        target.set(section.name, adopt(section));
        continue;
      }
      merged.definedIn.push({ file: section.file, line: section.line });
      const properties = owned(merged);
      for (const [name, property] of section.properties) properties.set(name, property);
    }
  }

  if (credentials !== undefined) {
    for (const section of credentials.sections) {
      const merged = profiles.get(section.name);
      if (merged === undefined) {
        profiles.set(section.name, adopt(section));
        continue;
      }
      merged.definedIn.push({ file: section.file, line: section.line });
      // The config file's view before the credentials file hides part of it (see ConfigSection).
      if (merged.definedIn[0]?.file !== section.file)
        merged.configFileProperties ??= new Map(merged.properties);
      const properties = owned(merged);
      for (const [name, property] of section.properties) {
        const shadowed = properties.get(name);
        if (shadowed !== undefined && shadowed.file !== property.file) {
          diagnostics.push({
            code: 'PROPERTY_OVERRIDDEN',
            severity: 'info',
            file: shadowed.file,
            line: shadowed.line,
            profile: section.name,
            message: `"${name}" of profile "${section.name}" is overridden by ${property.file}:${property.line} (the credentials file wins)`,
          });
        }
        properties.set(name, property);
      }
    }
  }

  return {
    configFile: options.configFile ?? { path: config?.path ?? '', exists: config !== undefined },
    credentialsFile: options.credentialsFile ?? {
      path: credentials?.path ?? '',
      exists: credentials !== undefined,
    },
    profiles: profiles as ReadonlyMap<string, ConfigSection>,
    ssoSessions: ssoSessions as ReadonlyMap<string, ConfigSection>,
    services: services as ReadonlyMap<string, ConfigSection>,
    diagnostics,
  };
}

// A profile defined once (the usual case) keeps its section's property map: no copy per profile.
// The map is copied the first time a second section merges into it.
const ownedMaps = new WeakSet<Map<string, ConfigProperty>>();

function adopt(section: ParsedSection): MutableSection {
  return {
    name: section.name,
    properties: section.properties,
    definedIn: [{ file: section.file, line: section.line }],
  };
}

function owned(merged: MutableSection): Map<string, ConfigProperty> {
  if (!ownedMaps.has(merged.properties)) {
    merged.properties = new Map(merged.properties);
    ownedMaps.add(merged.properties);
  }
  return merged.properties;
}

function entry(map: Map<string, MutableSection>, name: string): MutableSection {
  let found = map.get(name);
  if (found === undefined) {
    found = { name, properties: new Map(), definedIn: [] };
    map.set(name, found);
  }
  return found;
}
