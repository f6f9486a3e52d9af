export {
  type LoadSharedConfigOptions,
  loadSharedConfig,
  readConfigFile,
  reuseOrLoadSharedConfig,
} from './load.js';
export {
  type ConfigLocations,
  type ResolveConfigLocationsOptions,
  resolveConfigLocations,
} from './locations.js';
export { type BuildSharedConfigOptions, buildSharedConfig } from './merge.js';
export { isIdentifier, type ParseConfigFileOptions, parseConfigFile } from './parse.js';
export {
  describeReadFailure,
  fileTypeOf,
  readRegularFile,
  type SafeReadError,
  type SafeReadOptions,
} from './safe-read.js';
export { standsAlone } from './stands-alone.js';
export type {
  ConfigFileInfo,
  ConfigFileKind,
  ConfigProperty,
  ConfigSection,
  ConfigSubProperty,
  Diagnostic,
  DiagnosticSeverity,
  ParsedConfigFile,
  ParsedSection,
  SectionType,
  SharedConfig,
  SkippedSections,
  SourceLocation,
} from './types.js';
